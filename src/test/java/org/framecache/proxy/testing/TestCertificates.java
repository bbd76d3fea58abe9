package org.framecache.proxy.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway CA with a server certificate for 127.0.0.1 and a client certificate, made with openssl at test time
 * (EC P-256 keys: fast to generate; PEM, keys in PKCS#8 as Kubernetes Secrets usually hold them).
 */
public final class TestCertificates {
    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    /** Makes a CA, "server" (SAN IP:127.0.0.1) and "client", all under a new temp directory. */
    public static TestCertificates create() {
        try {
            TestCertificates certificates = new TestCertificates(Files.createTempDirectory("tls-test-"));
            certificates.authority("ca");
            certificates.signed("server", "ca", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
            certificates.signed("client", "ca", "extendedKeyUsage=clientAuth\n");
            return certificates;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make test certificates", e);
        }
    }

    /** Another CA that signed nothing here: trusting only it must fail. */
    public Path otherCa() throws IOException {
        if (!Files.exists(dir.resolve("other-ca.crt"))) {
            authority("other-ca");
        }
        return cert("other-ca");
    }

    public Path cert(String name) {
        return dir.resolve(name + ".crt");
    }

    public Path key(String name) {
        return dir.resolve(name + ".key");
    }

    public void delete() {
        ChildProcesses.deleteRecursively(dir);
    }

    private void authority(String name) throws IOException {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key(name).toString(), "-out", cert(name).toString(), "-days", "2", "-subj", "/CN=" + name);
    }

    private void signed(String name, String ca, String extensions) throws IOException {
        Path csr = dir.resolve(name + ".csr");
        Path ext = dir.resolve(name + ".ext");
        Files.writeString(ext, extensions);
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", key(name).toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
        openssl("x509", "-req", "-in", csr.toString(), "-CA", cert(ca).toString(), "-CAkey", key(ca).toString(),
                "-CAcreateserial", "-out", cert(name).toString(), "-days", "2", "-extfile", ext.toString());
    }

    private void openssl(String... args) throws IOException {
        Path binary = ChildProcesses.requireBinary("openssl", "openssl");
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("openssl did not finish: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (process.exitValue() != 0) {
            throw new IOException("openssl failed: " + command + "\n" + output);
        }
    }
}
