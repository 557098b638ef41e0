/** What happens to a cell before the network, fitted by the trainer and rebuilt from {@code model.json} for scoring: type centring, standardisation, sex erasure. */
package io.donorstream.preprocess;
