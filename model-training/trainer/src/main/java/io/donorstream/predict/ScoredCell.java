package io.donorstream.predict;

import io.donorstream.servable.CellScore;

/**
 * One scored cell as the outputs see it: its id and labels from the file, the scorer's answer and
 * the calibrated confidence (NaN when the artifact has no calibration).
 */
public record ScoredCell(String cellId, String trueDonor, String sex, String cellType, CellScore score, float calibratedConfidence) {}
