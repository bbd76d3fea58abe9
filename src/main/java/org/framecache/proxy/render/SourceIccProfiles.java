package org.framecache.proxy.render;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.framecache.proxy.access.InstanceAccess;
import org.framecache.proxy.access.InstanceImage;
import org.framecache.proxy.frames.FrameCache;
import org.framecache.proxy.http.MediaType;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.image.RenderParameters;
import org.framecache.proxy.inbound.FrameRequest;
import org.framecache.proxy.multipart.BodyPart;
import org.framecache.proxy.multipart.MalformedMultipartException;
import org.framecache.proxy.multipart.MultipartRelatedReader;

/**
 * The source ICC profile of each instance a rendering needs it for (PS3.3 C.11.15): inline in the metadata, or fetched
 * once from the BulkDataURI the metadata names, with the caller's credentials (the access check of the instance came
 * first), only under the store's own DICOMweb root and the instance's own path, at most render.max-icc-bytes. Kept in
 * process and in the frame cache (an entry per instance), so replicas and restarts fetch it once.
 */
public final class SourceIccProfiles {
    private final InstanceAccess access;
    private final FrameCache cache;
    private final String upstreamPath;
    private final int maxBytes;
    private final Cache<String, byte[]> profiles;

    public SourceIccProfiles(InstanceAccess access, FrameCache cache, String upstreamUrl, int maxBytes, Duration ttl) {
        this.access = access;
        this.cache = cache;
        String path = upstreamUrl.contains("://") ? URI.create(upstreamUrl).getRawPath() : "";
        this.upstreamPath = path == null ? "" : path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.maxBytes = maxBytes;
        this.profiles = Caffeine.newBuilder().maximumWeight(64L << 20)
                .<String, byte[]>weigher((k, v) -> v.length + 64).expireAfterWrite(ttl).build();
    }

    /**
     * True when this rendering uses the source profile: a transform from it, or (iccprofile=yes) the profile to embed;
     * iccprofile=no leaves the pixels as stored and embeds nothing.
     */
    static boolean needed(RenderParameters p) {
        return p != null && p.iccProfile() != RenderParameters.IccProfile.NO;
    }

    /**
     * True when the request's rendering needs the instance's profile and it is neither in the metadata, nor in process,
     * nor in the frame cache: it must be fetched from the store.
     */
    public boolean mustFetch(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        if (!request.getRepresentation().producedByProxy() || !needed(request.getRenderParameters())) {
            return false;
        }
        InstanceImage image = access.image(request);
        if (image == null || image.iccBulkDataUri() == null || profiles.getIfPresent(request.instancePath()) != null) {
            return false;
        }
        byte[] cached = cache.instanceValue(request, "icc");
        if (cached != null) {
            profiles.put(request.instancePath(), cached);
            return false;
        }
        return true;
    }

    /** The store path of the profile's bulk data: under the store's DICOMweb root and this instance only; else 502. */
    public String bulkDataPath(@ExchangeProperty(FrameRequest.PROPERTY) FrameRequest request) {
        String uri = access.image(request).iccBulkDataUri();
        String path;
        try {
            path = uri.contains("://") ? URI.create(uri).getRawPath() : uri;
        } catch (IllegalArgumentException e) {
            throw new ProxyException(502, "the store's metadata names an ICC profile at an unusable URI");
        }
        if (path != null && path.startsWith(upstreamPath + "/")) {
            path = path.substring(upstreamPath.length());
        }
        if (path == null || !path.startsWith(request.instancePath() + "/") || path.contains("..") || path.contains("%")
                || !path.matches("[A-Za-z0-9/._,-]+")) {
            throw new ProxyException(502, "the store's metadata names an ICC profile outside the instance's own path");
        }
        return path;
    }

    /** After the bulk data call: the profile, read up to its bound, remembered in process and in the frame cache. */
    public void record(Exchange exchange) throws IOException {
        FrameRequest request = exchange.getProperty(FrameRequest.PROPERTY, FrameRequest.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (status != 200) {
            discard(exchange.getMessage().getBody(InputStream.class));
            throw new ProxyException(502, "cannot read the instance's ICC profile: the store answered " + status);
        }
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        byte[] profile;
        try (InputStream body = exchange.getMessage().getBody(InputStream.class)) {
            if (body == null) {
                throw new ProxyException(502, "cannot read the instance's ICC profile: the store sent no body");
            }
            if (contentType != null && MediaType.parse(contentType).essence().equals("multipart/related")) {
                Iterator<BodyPart> parts = new MultipartRelatedReader(maxBytes).parts(body, contentType);
                if (!parts.hasNext()) {
                    throw new ProxyException(502, "cannot read the instance's ICC profile: the store sent no part");
                }
                profile = parts.next().content();
            } else {
                profile = body.readNBytes(maxBytes + 1);
                if (profile.length > maxBytes) {
                    throw tooLarge();
                }
            }
        } catch (MalformedMultipartException e) {
            throw new ProxyException(502, "cannot read the instance's ICC profile: " + e.getMessage());
        }
        if (profile.length > maxBytes) {
            throw tooLarge();
        }
        profiles.put(request.instancePath(), profile);
        cache.putInstanceValue(request, "icc", profile);
    }

    /**
     * An answer not wanted (an error): closed now, which gives its connection back to the pool before the client is
     * answered, rather than when the exchange completes (camel-http closes the response then).
     */
    private static void discard(InputStream body) {
        if (body == null) {
            return;
        }
        try {
            body.close();
        } catch (IOException ignored) {
            // the connection is gone either way
        }
    }

    private ProxyException tooLarge() {
        return new ProxyException(502, "the instance's ICC profile is larger than render.max-icc-bytes (" + maxBytes + ")");
    }

    /** The instance's source profile; null when it has none (or its metadata has not been read). */
    public byte[] sourceProfile(FrameRequest request) {
        InstanceImage image = access.image(request);
        if (image == null || !image.hasIccProfile()) {
            return null;
        }
        if (image.iccInline() != null) {
            return image.iccInline().length == 0 ? null : image.iccInline();
        }
        byte[] profile = profiles.getIfPresent(request.instancePath());
        if (profile == null) {
            profile = cache.instanceValue(request, "icc");
        }
        if (profile == null && needed(request.getRenderParameters())) {
            // never rendered without it under the key of a rendering with it
            throw new ProxyException(503, "the instance's ICC profile is not at hand: try again");
        }
        return profile == null || profile.length == 0 ? null : profile;
    }
}
