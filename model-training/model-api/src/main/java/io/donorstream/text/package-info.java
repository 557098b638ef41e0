/** One text vector per cell type: the Cell Ontology, label texts and the encoder interface. */
package io.donorstream.text;
