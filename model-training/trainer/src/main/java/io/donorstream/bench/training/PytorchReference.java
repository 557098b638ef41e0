package io.donorstream.bench.training;

import com.google.gson.GsonBuilder;
import io.donorstream.model.ModelSpec;
import io.donorstream.inference.EncodedCells;
import io.donorstream.train.TrainSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The same training in PyTorch, as a yardstick: {@code bench/pytorch_reference.py} (shipped in this
 * jar) trains the same architecture on the same prepared cells with the same batch, optimiser and
 * thread count. Runs only where {@code python3} can import {@code torch} (Debian: {@code apt-get
 * install python3-torch}); nothing is installed or downloaded at run time.
 */
public final class PytorchReference implements AutoCloseable {
  static final String SCRIPT = "bench/pytorch_reference.py";
  private static final Pattern RESULT = Pattern.compile("cells_per_s=([0-9.]+)");

  private final String python;
  private final String version;
  private final Path dir;

  private PytorchReference(String python, String version, Path dir) {
    this.python = python;
    this.version = version;
    this.dir = dir;
  }

  /**
   * The reference, or the reason there is none. Tries {@code $DONORSTREAM_PYTHON}, then {@code
   * python3} on the PATH, then Debian's {@code /usr/bin/python3} (a pyenv or virtualenv Python on
   * the PATH often lacks the Debian-packaged torch).
   */
  public static Availability locate() {
    List<String> candidates = new ArrayList<>();
    String configured = System.getenv("DONORSTREAM_PYTHON");
    if (configured != null && !configured.isBlank()) candidates.add(configured);
    candidates.add("python3");
    candidates.add("/usr/bin/python3");
    for (String python : candidates) {
      String version = torchVersion(python);
      if (version == null) continue;
      try {
        Path dir = Files.createTempDirectory("donorstream-pytorch-reference");
        copyScript(dir.resolve("pytorch_reference.py"));
        return new Availability(new PytorchReference(python, version, dir), null);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare the PyTorch reference", e);
      }
    }
    return new Availability(null, "no Python that imports torch among " + candidates
        + " (on Debian: apt-get install python3-torch; or set DONORSTREAM_PYTHON)");
  }

  /** torch's version as {@code python} reports it, or null when it cannot import torch. */
  private static String torchVersion(String python) {
    try {
      Process p = new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)").redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || output.isEmpty()) return null;
      String[] lines = output.split("\n");
      return lines[lines.length - 1];
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Either a reference or why there is none. */
  public record Availability(PytorchReference reference, String reason) {}

  public String torchVersion() {
    return version;
  }

  /**
   * Writes the training cells as the script reads them: the standardised embeddings, the
   * standardised text table, each cell's type and donor, and per model its spec and settings.
   */
  public void export(EncodedCells cells, float[][] textTable, int donors, Map<String, ModelSpec> specs, Map<String, TrainSettings> settings) {
    try {
      writeFloats(dir.resolve("gene.f32"), cells.gene());
      int d = textTable[0].length;
      float[] text = new float[textTable.length * d];
      for (int i = 0; i < textTable.length; i++) System.arraycopy(textTable[i], 0, text, i * d, d);
      writeFloats(dir.resolve("text.f32"), text);
      writeInts(dir.resolve("type.i32"), cells.typeIndex());
      writeInts(dir.resolve("donor.i32"), cells.donor());
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("cells", cells.size());
      meta.put("width", cells.width());
      meta.put("text_dim", textTable[0].length);
      meta.put("donors", donors);
      for (Map.Entry<String, ModelSpec> e : specs.entrySet()) meta.put(e.getKey(), modelMeta(e.getValue(), settings.get(e.getKey())));
      Files.writeString(dir.resolve("meta.json"), new GsonBuilder().setPrettyPrinting().create().toJson(meta));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the PyTorch reference's data to " + dir, e);
    }
  }

  /** Runs the script's training; returns PyTorch's cells per second, or throws with its output. */
  public double cellsPerSecond(String model, int batch, int epochs, int warmupEpochs, int threads) {
    return run(model, batch, epochs, warmupEpochs, threads, false);
  }

  /** Runs the script's eager inference (forward + softmax, {@code passes} over the cells, the first {@code warmupPasses} untimed). */
  public double inferenceCellsPerSecond(String model, int batch, int passes, int warmupPasses, int threads) {
    return run(model, batch, passes, warmupPasses, threads, true);
  }

  private double run(String model, int batch, int epochs, int warmupEpochs, int threads, boolean inference) {
    List<String> cmd = new ArrayList<>(List.of(python, dir.resolve("pytorch_reference.py").toString(), "--data", dir.toString(), "--model", model,
        "--batch", String.valueOf(batch), "--epochs", String.valueOf(epochs), "--warmup", String.valueOf(warmupEpochs),
        "--threads", String.valueOf(threads)));
    if (inference) cmd.add("--inference");
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("OMP_NUM_THREADS", String.valueOf(threads));
      Process p = pb.start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      Matcher m = RESULT.matcher(output);
      if (p.exitValue() != 0 || !m.find()) {
        throw new IllegalStateException("the PyTorch reference failed (" + String.join(" ", cmd) + "):\n" + output.strip());
      }
      return Double.parseDouble(m.group(1));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + python, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the PyTorch reference ran", e);
    }
  }

  private static Map<String, Object> modelMeta(ModelSpec spec, TrainSettings s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("hidden", spec.hidden());
    m.put("dropout", spec.dropout());
    m.put("attention_dim", spec.attentionDim());
    m.put("heads", spec.heads());
    m.put("latents", spec.latents());
    m.put("gene_tokens", spec.geneTokens());
    m.put("text_tokens", spec.textTokens());
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("lr", s.learningRate());
    t.put("weight_decay", s.weightDecay());
    t.put("warmup_fraction", s.warmupFraction());
    t.put("clip_grad", s.clipGrad());
    t.put("unknown_type_rate", s.unknownTypeRate());
    t.put("input_noise", s.inputNoise());
    m.put("settings", t);
    return m;
  }

  private static void copyScript(Path target) throws IOException {
    try (InputStream in = PytorchReference.class.getClassLoader().getResourceAsStream(SCRIPT)) {
      if (in == null) throw new IllegalStateException(SCRIPT + " is missing from the classpath");
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void writeFloats(Path file, float[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    Files.write(file, b.array());
  }

  private static void writeInts(Path file, int[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asIntBuffer().put(values);
    Files.write(file, b.array());
  }

  @Override
  public void close() {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) Files.deleteIfExists(f);
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A leftover temporary folder is harmless.
    }
  }
}
