package io.donorstream.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version the build wrote into {@code build.properties}: what {@code --version} prints on every command. */
public final class BuildVersion implements IVersionProvider {
  private static final String VERSION = read();

  /** The Maven project version of this build, e.g. {@code 0.1.0-SNAPSHOT}. */
  public static String version() {
    return VERSION;
  }

  @Override
  public String[] getVersion() {
    return new String[] {"donorstream " + VERSION};
  }

  private static String read() {
    try (InputStream in = BuildVersion.class.getResourceAsStream("build.properties")) {
      if (in == null) throw new IllegalStateException("build.properties is missing from the classpath: rebuild with Maven");
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
