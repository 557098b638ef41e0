package io.donorstream.experiments;

import io.donorstream.report.Png;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A 2-d UMAP (the tagbio Java port, seeded, one thread so it is reproducible) of learned latents,
 * drawn three times: coloured by donor, by sex and by cell type. A representation without sex shows
 * the sexes mixed in the middle panel while donors still separate in the first.
 */
final class LatentUmap {
  /** UMAP's cost grows faster than linearly; a few thousand cells show the structure. */
  static final int MAX_CELLS = 2500;

  private LatentUmap() {}

  /** @param latent row-major n x dim; labels per cell for each colouring, in panel order */
  static void write(float[] latent, int dim, Map<String, String[]> colourings, String title, long seed, Path png) {
    int n = latent.length / dim;
    int[] rows = sample(n, MAX_CELLS, seed);
    float[][] x = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      x[i] = new float[dim];
      System.arraycopy(latent, rows[i] * dim, x[i], 0, dim);
    }
    tagbio.umap.Umap umap = new tagbio.umap.Umap();
    umap.setNumberComponents(2);
    umap.setNumberNearestNeighbours(15);
    umap.setThreads(1);
    umap.setSeed(seed);
    float[][] xy = umap.fitTransform(x);
    List<XYChart> panels = new ArrayList<>();
    for (Map.Entry<String, String[]> c : colourings.entrySet()) panels.add(panel(xy, rows, c.getValue(), title + ", coloured by " + c.getKey()));
    Png.saveGrid(panels, 3, png);
  }

  private static XYChart panel(float[][] xy, int[] rows, String[] label, String title) {
    Map<String, List<float[]>> groups = new LinkedHashMap<>();
    for (int i = 0; i < rows.length; i++) {
      String l = label[rows[i]] == null ? "unknown" : label[rows[i]];
      groups.computeIfAbsent(l, k -> new ArrayList<>()).add(xy[i]);
    }
    XYChart c = new XYChartBuilder().width(760).height(560).title(title).xAxisTitle("UMAP 1").yAxisTitle("UMAP 2").build();
    c.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    c.getStyler().setMarkerSize(4);
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    c.getStyler().setLegendFont(c.getStyler().getLegendFont().deriveFont(9f));
    groups.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      double[] xs = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
      double[] ys = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
      c.addSeries(shorten(e.getKey()), xs, ys).setMarker(SeriesMarkers.CIRCLE);
    });
    return c;
  }

  private static String shorten(String s) {
    return s.length() <= 24 ? s : s.substring(0, 22) + "…";
  }

  /** Up to {@code max} of {@code n} row indices, a seeded uniform sample in ascending order. */
  static int[] sample(int n, int max, long seed) {
    if (n <= max) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) all[i] = i;
      return all;
    }
    int[] out = java.util.Arrays.copyOf(io.donorstream.data.Shuffle.permutation(n, new java.util.SplittableRandom(seed)), max);
    java.util.Arrays.sort(out);
    return out;
  }
}
