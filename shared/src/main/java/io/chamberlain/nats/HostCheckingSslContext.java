package io.chamberlain.nats;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A client {@link SSLContext} whose sockets also check that the server's certificate names the host
 * connected to (the HTTPS rules: a DNS or IP subject alternative name). jnats opens its TLS socket with
 * {@code getSocketFactory().createSocket(socket, host, port, true)} and checks the certificate's chain
 * only, so a certificate the CA issued to any other server would otherwise be accepted.
 */
final class HostCheckingSslContext {

  private static final String HOST_CHECK = "HTTPS";

  private HostCheckingSslContext() {
  }

  static SSLContext wrap(SSLContext checksChainOnly) {
    return new SSLContext(new Spi(checksChainOnly), checksChainOnly.getProvider(), checksChainOnly.getProtocol()) { };
  }

  private static <T extends Socket> Socket checked(T socket) {
    if (socket instanceof SSLSocket tls) {
      SSLParameters parameters = tls.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm(HOST_CHECK);
      tls.setSSLParameters(parameters);
    }
    return socket;
  }

  private static SSLEngine checked(SSLEngine engine) {
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm(HOST_CHECK);
    engine.setSSLParameters(parameters);
    return engine;
  }

  private static final class Spi extends SSLContextSpi {

    private final SSLContext base;

    Spi(SSLContext base) {
      this.base = base;
    }

    @Override
    protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random) {
      throw new UnsupportedOperationException("this SSLContext is initialised already");
    }

    @Override
    protected SSLSocketFactory engineGetSocketFactory() {
      return new Factory(base.getSocketFactory());
    }

    @Override
    protected SSLServerSocketFactory engineGetServerSocketFactory() {
      return base.getServerSocketFactory();
    }

    @Override
    protected SSLEngine engineCreateSSLEngine() {
      return checked(base.createSSLEngine());
    }

    @Override
    protected SSLEngine engineCreateSSLEngine(String host, int port) {
      return checked(base.createSSLEngine(host, port));
    }

    @Override
    protected SSLSessionContext engineGetServerSessionContext() {
      return base.getServerSessionContext();
    }

    @Override
    protected SSLSessionContext engineGetClientSessionContext() {
      return base.getClientSessionContext();
    }
  }

  private static final class Factory extends SSLSocketFactory {

    private final SSLSocketFactory base;

    Factory(SSLSocketFactory base) {
      this.base = base;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return base.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return base.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
      return checked(base.createSocket());
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
      return checked(base.createSocket(socket, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return checked(base.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      return checked(base.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return checked(base.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return checked(base.createSocket(address, port, localAddress, localPort));
    }
  }
}
