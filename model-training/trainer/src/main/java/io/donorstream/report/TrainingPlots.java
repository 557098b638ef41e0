package io.donorstream.report;

import io.donorstream.train.EpochRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG pictures of a training run: its curves (loss, validation accuracy, learning rate and, with an
 * adversary, the adversary's loss beside λ) and the confusion matrix.
 */
public final class TrainingPlots {
  private static final int W = 560;
  private static final int H = 380;

  private TrainingPlots() {}

  public static void curves(List<EpochRecord> history, String title, Path png) {
    List<EpochRecord> cls = history.stream().filter(r -> r.phase().equals("classify")).toList();
    List<EpochRecord> align = history.stream().filter(r -> r.phase().equals("align")).toList();
    List<XYChart> panels = new ArrayList<>();
    XYChart loss = chart(title + ": loss", "loss (cross-entropy)", !align.isEmpty());
    if (!align.isEmpty()) line(loss, "alignment (InfoNCE)", x(align, -align.size()), align, EpochRecord::trainLoss);
    if (!cls.isEmpty()) {
      boolean adversary = cls.stream().anyMatch(r -> r.adversaryLoss() != null);
      line(loss, adversary ? "train (donor CE + adversary BCE)" : "train", x(cls, 0), cls, EpochRecord::trainLoss);
      line(loss, "validation", x(cls, 0), cls, EpochRecord::validationLoss);
    }
    panels.add(loss);
    XYChart acc = chart("validation accuracy", "accuracy", false);
    if (!cls.isEmpty()) line(acc, "validation accuracy", x(cls, 0), cls, EpochRecord::validationAccuracy);
    panels.add(acc);
    XYChart lr = chart("learning rate (warm-up, cosine decay)", "learning rate", !align.isEmpty());
    if (!align.isEmpty()) line(lr, "alignment", x(align, -align.size()), align, EpochRecord::learningRate);
    if (!cls.isEmpty()) line(lr, "classification", x(cls, 0), cls, EpochRecord::learningRate);
    panels.add(lr);
    List<EpochRecord> adv = cls.stream().filter(r -> r.adversaryLoss() != null).toList();
    if (!adv.isEmpty()) {
      XYChart a = chart("sex adversary (0.693 = sex unreadable)", "BCE / lambda", false);
      line(a, "adversary loss (BCE)", x(adv, 0), adv, r -> Objects.requireNonNull(r.adversaryLoss()));
      line(a, "lambda", x(adv, 0), adv, EpochRecord::lambda);
      line(a, "chance (ln 2)", x(adv, 0), adv, r -> Math.log(2));
      panels.add(a);
    }
    Png.saveGrid(panels, 2, png);
  }

  private static XYChart chart(String title, String yTitle, boolean aligned) {
    XYChart c = new XYChartBuilder().width(W).height(H).title(title).xAxisTitle(aligned ? "epoch (alignment epochs < 1)" : "epoch").yAxisTitle(yTitle).build();
    c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
    c.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
    c.getStyler().setXAxisMaxLabelCount(12);
    c.getStyler().setXAxisDecimalPattern("#");
    return c;
  }

  private static void line(XYChart c, String name, double[] xs, List<EpochRecord> rs, ToDoubleFunction<EpochRecord> y) {
    c.addSeries(name, xs, rs.stream().mapToDouble(y).toArray()).setMarker(SeriesMarkers.NONE);
  }

  private static double[] x(List<EpochRecord> rs, int offset) {
    double[] xs = new double[rs.size()];
    for (int i = 0; i < xs.length; i++) xs[i] = rs.get(i).epoch() + (offset < 0 ? offset : 0);
    return xs;
  }

  /**
   * Row-normalised confusion matrix (true donor rows, predicted columns), donors labelled with sex
   * and ordered female first, so errors within a sex fall in the diagonal blocks and cross-sex
   * errors off them.
   */
  public static void confusion(int[][] cm, List<String> donors, java.util.Map<String, String> donorSex, String title, Path png) {
    Integer[] order = new Integer[donors.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Arrays.sort(order, java.util.Comparator.comparingInt((Integer i) -> sexRank(donorSex.get(donors.get(i)))).thenComparing(i -> donors.get(i)));
    int k = order.length;
    List<String> labels = new ArrayList<>();
    for (int i : order) {
      String sex = donorSex.get(donors.get(i));
      labels.add(sex == null ? donors.get(i) : donors.get(i) + " (" + sex.charAt(0) + ")");
    }
    List<Number[]> z = new ArrayList<>();
    for (int t = 0; t < k; t++) {
      int[] row = cm[order[t]];
      int total = Arrays.stream(row).sum();
      for (int p = 0; p < k; p++) z.add(new Number[] {p, t, total == 0 ? 0 : Math.round(1000.0 * row[order[p]] / total) / 1000.0});
    }
    HeatMapChart chart = new HeatMapChartBuilder().width(260 + 40 * k).height(200 + 40 * k).title(title).xAxisTitle("predicted donor")
        .yAxisTitle("true donor").build();
    chart.getStyler().setShowValue(k <= 20);
    chart.getStyler().setValueFont(chart.getStyler().getValueFont().deriveFont(k > 12 ? 10f : 12f));
    chart.getStyler().setXAxisLabelRotation(90);
    // Every donor labelled: XChart drops category labels that it finds crowded.
    chart.getStyler().setAxisTickLabelsFont(chart.getStyler().getAxisTickLabelsFont().deriveFont(k > 12 ? 10f : 12f));
    chart.getStyler().setXAxisTickMarkSpacingHint(8);
    chart.getStyler().setYAxisTickMarkSpacingHint(8);
    chart.addSeries("share of true donor", labels, labels, z);
    Png.save(chart, png);
  }

  private static int sexRank(String sex) {
    return sex == null ? 2 : sex.equals("female") ? 0 : 1;
  }
}
