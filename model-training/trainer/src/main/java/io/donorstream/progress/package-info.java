/** Progress bars for long work. */
package io.donorstream.progress;
