package org.framecache.proxy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;

import org.framecache.proxy.testing.OrthancProcess;
import org.junit.jupiter.api.AfterAll;

/**
 * The real application in front of an Orthanc of its own that asks for HTTP basic authentication, with two users,
 * alice and bob; stopped when the class is done.
 */
public abstract class AuthenticatingOrthancTestSupport extends ProxyTestSupport {
    protected static final String ALICE = basic("alice", "alice-secret");
    protected static final String BOB = basic("bob", "bob-secret");

    protected OrthancProcess orthanc;

    protected static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Properties beyond the upstream URL; none by default. */
    protected void moreProperties(Properties properties) {
    }

    @Override
    protected final Properties testProperties() {
        orthanc = OrthancProcess.start(Map.of("alice", "alice-secret", "bob", "bob-secret"));
        Properties properties = new Properties();
        properties.setProperty("proxy.upstream-url", orthanc.dicomWebUrl());
        moreProperties(properties);
        return properties;
    }

    @AfterAll
    void stopOrthanc() {
        orthanc.close();
    }
}
