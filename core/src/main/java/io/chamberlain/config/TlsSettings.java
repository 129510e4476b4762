package io.chamberlain.config;

import java.nio.file.Path;

/**
 * PEM files for one TLS connection kind ({@code nats.tls.*}, {@code cluster.tls.*}): the CA that
 * verifies the peer ({@code null}: the JVM's default trust store) and this side's certificate chain
 * and PKCS#8 private key ({@code null}: none). Off means plain TCP and no files.
 *
 * @param prefix the keys' common prefix, e.g. {@code nats.tls}, for error messages
 */
public record TlsSettings(String prefix, boolean enabled, Path caFile, Path certFile, Path keyFile) {

  public static TlsSettings off(String prefix) {
    return new TlsSettings(prefix, false, null, null, null);
  }

  public TlsSettings {
    if (!enabled && (caFile != null || certFile != null || keyFile != null)) {
      throw new ConfigException(prefix + ".enabled is false but " + prefix + "."
          + (caFile != null ? "caFile" : certFile != null ? "certFile" : "keyFile")
          + " is set: turn TLS on or remove the file");
    }
    if ((certFile == null) != (keyFile == null)) {
      throw new ConfigException(prefix + ".certFile and " + prefix + ".keyFile go together: "
          + (certFile == null ? "certFile" : "keyFile") + " is missing");
    }
  }

  public boolean hasClientCertificate() {
    return certFile != null;
  }

  /**
   * @param mutual whether this side must present a certificate and verify the peer against its own CA
   *     (the cluster's event bus: only holders of a certificate from the cluster's CA take part)
   */
  static TlsSettings from(ResolvedConfig c, String prefix, boolean mutual) {
    boolean enabled = c.bool(prefix + ".enabled");
    String ca = c.string(prefix + ".caFile");
    String cert = c.string(prefix + ".certFile");
    String key = c.string(prefix + ".keyFile");
    if (!enabled) {
      return new TlsSettings(prefix, false, blankToNull(ca), blankToNull(cert), blankToNull(key));
    }
    if (mutual) {
      for (String[] required : new String[][] {{"caFile", ca}, {"certFile", cert}, {"keyFile", key}}) {
        if (required[1].isBlank()) {
          throw new ConfigException(prefix + "." + required[0] + " is required when " + prefix
              + ".enabled is true (mutual TLS: every node presents a certificate from the cluster's CA)");
        }
      }
    }
    return new TlsSettings(prefix, true, PathChecks.optionalFile(prefix + ".caFile", ca),
        PathChecks.optionalFile(prefix + ".certFile", cert), PathChecks.optionalFile(prefix + ".keyFile", key));
  }

  private static Path blankToNull(String value) {
    return value == null || value.isBlank() ? null : Path.of(value.strip());
  }
}
