/** {@code bench predict}. */
package io.donorstream.bench.predict;
