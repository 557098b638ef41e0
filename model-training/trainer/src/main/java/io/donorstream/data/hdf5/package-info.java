/** A small streaming HDF5 writer: {@code predict} writes results larger than memory. */
package io.donorstream.data.hdf5;
