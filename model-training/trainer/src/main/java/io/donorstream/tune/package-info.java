/** {@code tune}: TPE search of settings on the validation split, never on test cells. */
package io.donorstream.tune;
