package io.chamberlain.testkit;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away certificate authority for TLS tests, made in the test (no key material in the
 * repository): a CA certificate, and certificates it signs for 127.0.0.1/localhost usable as server
 * and client certificates. Everything is written as PEM (keys PKCS#8), as operators would mount it.
 */
public final class TestCertificates {

  /** A certificate and its private key, as PEM files. */
  public record Pem(Path certFile, Path keyFile) {
  }

  private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

  private final Path dir;
  private final String name;
  private final KeyPair keys;
  private final X509Certificate certificate;
  private final Path caFile;

  private TestCertificates(Path dir, String name, KeyPair keys, X509Certificate certificate) throws IOException {
    this.dir = dir;
    this.name = name;
    this.keys = keys;
    this.certificate = certificate;
    this.caFile = dir.resolve(name + "-ca.pem");
    writePem(caFile, certificate);
  }

  /** A new self-signed CA named {@code name}, its files under {@code dir}. */
  public static TestCertificates newAuthority(Path dir, String name) throws GeneralSecurityException, IOException {
    KeyPair keys = newKeys();
    X500Name subject = new X500Name("CN=" + name + " test CA");
    X509v3CertificateBuilder builder = builder(subject, subject, keys);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new TestCertificates(dir, name, keys, sign(builder, keys.getPrivate()));
    } catch (org.bouncycastle.cert.CertIOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  /** The CA certificate (PEM): what a peer trusts. */
  public Path caFile() {
    return caFile;
  }

  /** A certificate for {@code commonName}, valid for 127.0.0.1 and localhost, for servers and clients alike. */
  public Pem issue(String commonName) throws GeneralSecurityException, IOException {
    return issue(commonName, new GeneralName(GeneralName.iPAddress, InetAddress.getLoopbackAddress().getHostAddress()),
        new GeneralName(GeneralName.dNSName, "localhost"));
  }

  /** A certificate for {@code commonName} valid for the host name {@code dnsName} only (not for 127.0.0.1). */
  public Pem issueForHost(String commonName, String dnsName) throws GeneralSecurityException, IOException {
    return issue(commonName, new GeneralName(GeneralName.dNSName, dnsName));
  }

  private Pem issue(String commonName, GeneralName... names) throws GeneralSecurityException, IOException {
    KeyPair leaf = newKeys();
    X509v3CertificateBuilder builder = builder(new X500Name("CN=" + name + " test CA"), new X500Name("CN=" + commonName), leaf);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
          .addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      X509Certificate issued = sign(builder, keys.getPrivate());
      Pem pem = new Pem(dir.resolve(name + "-" + commonName + ".pem"), dir.resolve(name + "-" + commonName + ".key"));
      writePem(pem.certFile(), issued);
      try (Writer out = Files.newBufferedWriter(pem.keyFile()); JcaPEMWriter writer = new JcaPEMWriter(out)) {
        writer.writeObject(new JcaPKCS8Generator(leaf.getPrivate(), null));
      }
      return pem;
    } catch (org.bouncycastle.cert.CertIOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new GeneralSecurityException(e);
    }
  }

  private static KeyPair newKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIALS.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey issuerKey)
      throws org.bouncycastle.operator.OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
  }

  private static void writePem(Path file, Object object) throws IOException {
    try (Writer out = Files.newBufferedWriter(file); JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    }
  }
}
