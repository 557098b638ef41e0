package io.donorstream.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultimodalDonorNetTest {
  private static final ModelSpec SPEC = new ModelSpec(ModelSpec.MULTIMODAL, 12, 10, 5, 16, 0f, 8, 2, 4, 4, 3, false);

  @Test
  void attentionWeightsDependOnTheInputAndQueryKeyWeightsReceiveGradients() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed(1);
      MultimodalDonorNet net = new MultimodalDonorNet(SPEC);
      net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
      net.initialize(m, DataType.FLOAT32, net.inputShapes(2));
      for (Pair<String, Parameter> p : net.getParameters()) p.getValue().getArray().setRequiresGradient(true);
      ParameterStore ps = new ParameterStore(m, false);

      float[] a1;
      float[] a2;
      try (NDManager step = m.newSubManager()) {
        NDList out = net.forward(ps, inputs(step, 1), true);
        NDArray attn = out.get(MultimodalDonorNet.ATTN_GENE);
        assertThat(attn.getShape()).isEqualTo(new Shape(2, 2, 4, 8));
        a1 = attn.toFloatArray();
        a2 = net.forward(ps, inputs(step, 2), true).get(MultimodalDonorNet.ATTN_GENE).toFloatArray();
        float[] cross = out.get(MultimodalDonorNet.ATTN_GENE_TO_TEXT).toFloatArray();
        assertThat(maxAbsDiff(cross, uniform(cross.length, 1f / 4))).as("cross-attention is not uniform").isGreaterThan(1e-3f);
        try (GradientCollector gc = ai.djl.engine.Engine.getEngine("PyTorch").newGradientCollector()) {
          NDList o = net.forward(ps, inputs(step, 3), true);
          gc.backward(o.get(DonorNet.LOGITS).logSoftmax(-1).get(":, 0").sum().neg());
        }
      }
      assertThat(maxAbsDiff(a1, a2)).as("attention weights differ across inputs").isGreaterThan(1e-4f);
      assertThat(maxAbsDiff(a1, uniform(a1.length, 1f))).as("attention is not the degenerate single-key constant 1").isGreaterThan(0.01f);
      for (String name : new String[] {"gene_resampler", "text_resampler", "gene_attends_text", "text_attends_gene"}) {
        for (String proj : new String[] {"query", "key"}) {
          float[] grad = gradient(net, name, proj);
          assertThat(maxAbs(grad)).as("%s %s weight gradient", name, proj).isGreaterThan(1e-7f);
        }
      }
    }
  }

  @Test
  void theLearnedInverseTemperatureIsCappedAt100AsInClipAndStaysDifferentiableBelow() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      ai.djl.engine.Engine.getEngine("PyTorch").setRandomSeed(1);
      MultimodalDonorNet net = new MultimodalDonorNet(SPEC);
      net.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
      net.initialize(m, DataType.FLOAT32, net.inputShapes(2));
      NDArray logScale = net.getParameters().get("logit_scale").getArray();
      ParameterStore ps = new ParameterStore(m, false);
      try (NDManager step = m.newSubManager()) {
        logScale.set(new ai.djl.ndarray.index.NDIndex("..."), m.full(new Shape(1), 60f));
        float capped = net.forward(ps, inputs(step, 1), false).get("logit_scale_exp").getFloat();
        assertThat(capped).isCloseTo(100f, org.assertj.core.api.Assertions.within(1e-3f));
        logScale.set(new ai.djl.ndarray.index.NDIndex("..."), m.full(new Shape(1), 2f));
        float free = net.forward(ps, inputs(step, 1), false).get("logit_scale_exp").getFloat();
        assertThat(free).isCloseTo((float) Math.exp(2), org.assertj.core.api.Assertions.within(1e-4f));
      }
    }
  }

  private static float[] gradient(MultimodalDonorNet net, String block, String proj) {
    for (Pair<String, Parameter> p : net.getParameters()) {
      String k = p.getKey();
      if (k.contains(block + "_") && k.contains(proj + "_weight")) return p.getValue().getArray().getGradient().toFloatArray();
    }
    throw new AssertionError("no parameter " + block + "/" + proj + " among " + net.getParameters().keys());
  }

  /** Two cells of two different types, each type's text vector drawn from {@code seed}. */
  private static NDList inputs(NDManager m, long seed) {
    Random r = new Random(seed);
    float[] gene = new float[2 * 12];
    float[] text = new float[2 * 10];
    for (int i = 0; i < gene.length; i++) gene[i] = (float) r.nextGaussian();
    for (int i = 0; i < text.length; i++) text[i] = (float) r.nextGaussian();
    return new NDList(m.create(gene, new Shape(2, 12)), m.create(new long[] {0, 1}), m.create(text, new Shape(2, 10)));
  }

  private static float maxAbsDiff(float[] a, float[] b) {
    float d = 0;
    for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
    return d;
  }

  private static float[] uniform(int n, float v) {
    float[] a = new float[n];
    java.util.Arrays.fill(a, v);
    return a;
  }

  private static float maxAbs(float[] a) {
    float d = 0;
    for (float v : a) d = Math.max(d, Math.abs(v));
    return d;
  }
}
