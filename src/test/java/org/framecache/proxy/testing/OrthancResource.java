package org.framecache.proxy.testing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** A real Orthanc as the proxy's store: {@code proxy.upstream-url} is its DICOMweb root. */
public final class OrthancResource extends TestResource<OrthancProcess> {
    /** The {@code Authorization} values of the two users of {@link #withAliceAndBob()}. */
    public static final String ALICE = basic("alice", "alice-secret");
    public static final String BOB = basic("bob", "bob-secret");

    private final Map<String, String> users;

    private OrthancResource(boolean shared, Map<String, String> users) {
        super(shared);
        this.users = users;
    }

    /** The Orthanc without authentication shared by the whole run. */
    public static OrthancResource shared() {
        return new OrthancResource(true, Map.of());
    }

    /** An Orthanc of the class's own, without authentication (for tests that stop or suspend it). */
    public static OrthancResource own() {
        return new OrthancResource(false, Map.of());
    }

    /** An Orthanc of the class's own that asks for HTTP basic authentication, with two users, alice and bob. */
    public static OrthancResource withAliceAndBob() {
        return new OrthancResource(false, Map.of("alice", "alice-secret", "bob", "bob-secret"));
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected OrthancProcess start() {
        return isShared() ? OrthancProcess.shared() : OrthancProcess.start(users);
    }

    @Override
    protected Map<String, String> properties(OrthancProcess orthanc) {
        return Map.of("proxy.upstream-url", orthanc.dicomWebUrl());
    }

    /** Stores a Part 10 file; Orthanc's instance ID. */
    public String upload(byte[] part10) {
        return running().upload(part10);
    }
}
