/** Reading and writing AnnData {@code .h5ad} files, whole or in chunks, and the training archive. */
package io.donorstream.data;
