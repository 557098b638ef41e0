package io.donorstream.pipeline;

import io.donorstream.train.TrainSettings;
import io.donorstream.data.CellTable;
import io.donorstream.text.CellOntology;
import io.donorstream.text.TextEncoder;
import java.nio.file.Path;

/** One training run: data, model choice, settings and where the artifact goes. */
public record TrainRequest(
    CellTable table,
    String architecture,
    boolean adversarial,
    Integer hidden,
    Float dropout,
    TrainSettings settings,
    Path out,
    String name,
    String version,
    TextEncoder encoder,
    CellOntology ontology,
    boolean showProgress) {}
