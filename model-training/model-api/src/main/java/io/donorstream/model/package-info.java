/** The DJL networks (vanilla, multimodal Perceiver, sex adversary) and their blocks. */
package io.donorstream.model;
