/** Text encoders for cell-type labels through DJL (MiniLM ONNX or a TorchScript BERT). */
package io.donorstream.text.transformer;
