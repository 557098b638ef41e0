package io.donorstream.text.transformer;

import io.donorstream.text.TextEncoder;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The all-MiniLM-L6-v2 text encoder for tests, as a parameter of a {@code @BeforeAll}, {@code @Test}
 * or constructor: {@code @ExtendWith(MiniLmEncoder.class)}, then
 * {@code static void setUp(TransformerTextEncoder encoder)}. Loaded once per test JVM (loading takes
 * seconds; the encoder is stateless between calls) and closed when the JVM's tests end.
 */
public final class MiniLmEncoder implements ParameterResolver {
  /** Where the tokenizer and model are unpacked (no download: they come from a Maven jar). */
  public static final Path CACHE = Path.of("target", "text-cache");
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(MiniLmEncoder.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TransformerTextEncoder.class || type == TextEncoder.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  /** The encoder of this test JVM, loaded on first use. */
  public static TransformerTextEncoder shared(ExtensionContext context) {
    return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Loaded.class, k -> new Loaded(TransformerTextEncoder.miniLm(CACHE)), Loaded.class)
        .encoder();
  }

  private record Loaded(TransformerTextEncoder encoder) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      encoder.close();
    }
  }
}
