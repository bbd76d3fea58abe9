package org.framecache.proxy.cache;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to Redis from PEM files as a Kubernetes Secret mounts them: the CA that signed the server's certificate
 * (else the JVM's trust store) and, for mutual TLS, a client certificate (chain) and its PKCS#8 private key.
 */
public final class PemTlsContext {
    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private PemTlsContext() {
    }

    /**
     * @param caFile PEM certificates to trust, or null/blank for the JVM's trust store
     * @param certFile PEM client certificate (chain), or null/blank for no client certificate
     * @param keyFile PEM PKCS#8 private key of the client certificate (required with certFile)
     */
    public static SSLSocketFactory socketFactory(String caFile, String certFile, String keyFile) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (blank(caFile)) {
                trust.init((KeyStore) null);
            } else {
                KeyStore anchors = KeyStore.getInstance("PKCS12");
                anchors.load(null, null);
                List<Certificate> cas = certificates(caFile, "cache.redis-tls-ca-file");
                for (int i = 0; i < cas.size(); i++) {
                    anchors.setCertificateEntry("ca-" + i, cas.get(i));
                }
                trust.init(anchors);
            }
            KeyManagerFactory keys = null;
            if (!blank(certFile) || !blank(keyFile)) {
                if (blank(certFile) || blank(keyFile)) {
                    throw new IllegalArgumentException(
                            "cache.redis-tls-cert-file and cache.redis-tls-key-file must be set together");
                }
                KeyStore identity = KeyStore.getInstance("PKCS12");
                identity.load(null, null);
                identity.setKeyEntry("client", privateKey(keyFile), new char[0],
                        certificates(certFile, "cache.redis-tls-cert-file").toArray(Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(identity, new char[0]);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot set up TLS to Redis: " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(String file, String property) throws IOException {
        try {
            List<Certificate> certificates = new ArrayList<>(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(Path.of(file)))));
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException(property + " " + file + " holds no PEM certificate");
            }
            return certificates;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(property + " " + file + " is not PEM certificates: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(String file) throws IOException {
        Matcher pem = PRIVATE_KEY.matcher(Files.readString(Path.of(file), StandardCharsets.US_ASCII));
        if (!pem.find()) {
            throw new IllegalArgumentException("cache.redis-tls-key-file " + file + " is not a PEM PKCS#8 key"
                    + " (BEGIN PRIVATE KEY); convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.p8.pem");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem.group(1)));
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("cache.redis-tls-key-file " + file + ": not an RSA, EC or Ed25519 key");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
