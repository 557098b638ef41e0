package io.donorstream.experiments;

import io.donorstream.report.Png;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * The multimodal model's gene-to-text cross-attention averaged per cell type, one small heat map
 * per type (the most frequent first): rows are the gene branch's latents asking, columns the text
 * branch's latents answering. Types that route attention alike look alike.
 */
final class AttentionFigure {
  static final int MAX_TYPES = 12;

  private AttentionFigure() {}

  /** @param byType per cell type a row-major latents x latents map, most frequent type first */
  static void write(Map<String, float[]> byType, Map<String, Integer> cellsPerType, Path png) {
    List<HeatMapChart> panels = new ArrayList<>();
    // One colour scale for every panel, so the types can be compared by eye.
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (float[] m : byType.values()) {
      for (float v : m) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    // Attention that learned nothing is uniform (1/latents everywhere): say so rather than draw a flat block.
    boolean uniform = max - min < 1e-3;
    double lo = min;
    double hi = uniform ? min + 1e-3 : max;
    String scale = uniform ? String.format("uniform: %.3f everywhere", min) : String.format("colour %.3f to %.3f", min, max);
    byType.entrySet().stream().limit(MAX_TYPES).forEach(e -> panels.add(panel(e.getValue(), e.getKey() + " (" + cellsPerType.get(e.getKey())
        + " cells)", lo, hi, scale)));
    Png.saveGrid(panels, 4, png);
  }

  private static HeatMapChart panel(float[] map, String type, double min, double max, String scale) {
    int l = (int) Math.round(Math.sqrt(map.length));
    List<Integer> axis = IntStream.range(0, l).boxed().toList();
    List<Number[]> z = new ArrayList<>();
    for (int q = 0; q < l; q++) for (int k = 0; k < l; k++) z.add(new Number[] {k, q, map[q * l + k]});
    HeatMapChart c = new HeatMapChartBuilder().width(380).height(330).title(shorten(type)).xAxisTitle("text latent (key); " + scale)
        .yAxisTitle("gene latent (query)").build();
    c.getStyler().setShowValue(false);
    c.getStyler().setMin(min).setMax(max);
    c.getStyler().setHeatMapDecimalValueFormatter(v -> String.format("%.2f", v));
    c.getStyler().setGradientColorColumnWeight(12);
    c.getStyler().setChartTitleFont(c.getStyler().getChartTitleFont().deriveFont(11f));
    c.getStyler().setLegendVisible(false);
    c.addSeries("attention weight", axis, axis, z);
    return c;
  }

  private static String shorten(String s) {
    return s.length() <= 44 ? s : s.substring(0, 42) + "…";
  }
}
