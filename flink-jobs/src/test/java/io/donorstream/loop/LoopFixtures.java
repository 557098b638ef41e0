package io.donorstream.loop;

import io.donorstream.synth.FreshCells;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;

/** Generated loop data for tests: a table and its model, which draws the stream's new cells. */
final class LoopFixtures {
  private LoopFixtures() {}

  static LoopDemo.Input generated(SyntheticSpec spec, String name) {
    SyntheticDataGenerator.Result g = SyntheticDataGenerator.generate(spec, name);
    return new LoopDemo.Input(g.table(), new FreshCells(spec, g.model(), name + "-live", spec.seed() + 1));
  }
}
