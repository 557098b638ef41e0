package io.donorstream.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Writes XChart charts as PNG files: one chart, or several tiled in a grid (XChart has no subplots). */
public final class Png {
  private Png() {}

  public static void save(Chart<?, ?> chart, Path png) {
    try {
      BitmapEncoder.saveBitmap(chart, png.toString().replaceFirst("\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png, e);
    }
  }

  /** The charts row by row, {@code columns} per row, each cell as large as the largest chart. */
  public static void saveGrid(List<? extends Chart<?, ?>> charts, int columns, Path png) {
    if (charts.size() == 1) {
      save(charts.get(0), png);
      return;
    }
    int w = charts.stream().mapToInt(Chart::getWidth).max().orElse(1);
    int h = charts.stream().mapToInt(Chart::getHeight).max().orElse(1);
    int cols = Math.min(columns, charts.size());
    int rows = (charts.size() + cols - 1) / cols;
    BufferedImage grid = new BufferedImage(cols * w, rows * h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = grid.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, grid.getWidth(), grid.getHeight());
    for (int i = 0; i < charts.size(); i++) {
      g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), (i % cols) * w, (i / cols) * h, null);
    }
    g.dispose();
    try {
      ImageIO.write(grid, "png", png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png, e);
    }
  }
}
