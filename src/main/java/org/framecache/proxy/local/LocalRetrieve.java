package org.framecache.proxy.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.framecache.proxy.dicom.Tag;
import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.http.MediaType;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.AcceptNegotiator;
import org.framecache.proxy.outbound.MultipartResponseWriter;

/**
 * WADO-RS from a {@link DicomFolder} (PS3.18 §10.4): frames as stored, rendered frames, whole instances and
 * metadata. A store over files transcodes nothing: frames and instances are offered in their stored transfer
 * syntax only (native pixel data as Explicit VR Little Endian, which has the same bytes), so the proxy, which
 * asks for {@code transfer-syntax=*}, always gets what it caches. Path parameters arrive as the headers
 * {@code study}, {@code series}, {@code instance}, {@code frames}.
 */
public final class LocalRetrieve {
    /** JPEG and PNG: what {@link FrameRenderer} writes. */
    private static final AcceptNegotiator RENDERED = new AcceptNegotiator();
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_FRAMES = 10_000;

    private final DicomFolder folder;
    private final FrameRenderer renderer = new FrameRenderer();

    public LocalRetrieve(DicomFolder folder) {
        this.folder = folder;
    }

    /** .../instances/{instance}/frames/{frames}: multipart/related, one part per frame, in request order. */
    public void frames(Exchange exchange) throws IOException {
        DicomFolder.Instance instance = find(exchange);
        int[] frames = frameNumbers(header(exchange, "frames"), instance);
        String syntax = servedSyntax(instance.summary().transferSyntaxUid());
        String mediaType = TransferSyntaxes.mediaTypeOf(syntax);
        if (!acceptsStored(exchange, "multipart/related", mediaType, syntax)) {
            throw ProxyException.notAcceptable("this store serves the frames of " + instance.sopInstanceUid()
                    + " only as stored: multipart/related; type=\"" + mediaType + "\"; transfer-syntax=" + syntax);
        }
        String partType = mediaType + "; transfer-syntax=" + syntax;
        String[] types = new String[frames.length];
        String[] locations = new String[frames.length];
        byte[][] bodies = new byte[frames.length][];
        for (int i = 0; i < frames.length; i++) {
            types[i] = partType;
            bodies[i] = instance.readFrame(frames[i]);
        }
        String boundary = MultipartResponseWriter.newBoundary();
        respond(exchange, MultipartResponseWriter.multipartType(partType, boundary),
                MultipartResponseWriter.multipart(boundary, types, locations, bodies));
    }

    /** .../frames/{frame}/rendered: image/jpeg (the default) or image/png. */
    public void rendered(Exchange exchange) throws IOException {
        DicomFolder.Instance instance = find(exchange);
        int[] frames = frameNumbers(header(exchange, "frames"), instance);
        if (frames.length != 1) {
            throw ProxyException.badRequest("a rendered retrieval names one frame");
        }
        String query = exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class);
        String accept = queryParameter(query, "accept");
        String mediaType = renderedType(accept != null ? accept : header(exchange, "Accept"));
        int quality = quality(queryParameter(query, "quality"));
        byte[] image = renderer.render(instance.readFrame(frames[0]), pixels(instance), mediaType, quality);
        respond(exchange, mediaType, ByteBuffer.wrap(image));
    }

    /** .../instances/{instance}: the Part 10 file itself, as multipart/related; type="application/dicom". */
    public void instance(Exchange exchange) throws IOException {
        DicomFolder.Instance instance = find(exchange);
        String syntax = instance.summary().transferSyntaxUid();
        if (!acceptsStored(exchange, "multipart/related", "application/dicom", syntax)) {
            throw ProxyException.notAcceptable("this store serves " + instance.sopInstanceUid()
                    + " only as stored: multipart/related; type=\"application/dicom\"; transfer-syntax=" + syntax);
        }
        String boundary = MultipartResponseWriter.newBoundary();
        long size = Files.size(instance.file());
        byte[] head = ("--" + boundary + "\r\nContent-Type: application/dicom; transfer-syntax=" + syntax
                + "\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        Message message = answer(exchange, "multipart/related; type=\"application/dicom\"; boundary=" + boundary);
        message.setHeader("Content-Length", head.length + size + tail.length);
        if (!isHead(exchange)) {
            // streamed from the file: an instance can be hundreds of megabytes
            InputStream body = new SequenceInputStream(new SequenceInputStream(new ByteArrayInputStream(head),
                    Files.newInputStream(instance.file())), new ByteArrayInputStream(tail));
            message.setBody(body);
        }
    }

    /** .../metadata at study, series or instance level (PS3.18 §10.4.1.1.2): a DICOM JSON array. */
    public void metadata(Exchange exchange) throws IOException {
        String study = header(exchange, "study");
        String series = exchange.getIn().getHeader("series", String.class);
        String sop = exchange.getIn().getHeader("instance", String.class);
        List<DicomFolder.Instance> instances;
        if (sop != null) {
            instances = List.of(find(exchange));
        } else {
            instances = folder.instances(study, series);
            if (instances.isEmpty()) {
                throw new ProxyException(404, (series == null ? "no study " + study : "no series " + series)
                        + " in this store");
            }
        }
        if (!acceptsJson(exchange)) {
            throw ProxyException.notAcceptable("metadata is offered as application/dicom+json");
        }
        ArrayNode array = JSON.createArrayNode();
        instances.forEach(i -> array.add(i.metadata()));
        respond(exchange, "application/dicom+json", ByteBuffer.wrap(JSON.writeValueAsBytes(array)));
    }

    // ---- requests ----

    private DicomFolder.Instance find(Exchange exchange) {
        String study = header(exchange, "study");
        String series = header(exchange, "series");
        String sop = header(exchange, "instance");
        DicomFolder.Instance instance = folder.instance(study, series, sop);
        if (instance == null) {
            throw new ProxyException(404, "no instance " + sop + " in series " + series + " of study " + study);
        }
        return instance;
    }

    private static String header(Exchange exchange, String name) {
        String value = exchange.getIn().getHeader(name, String.class);
        if (value == null || value.isEmpty()) {
            throw ProxyException.badRequest("missing " + name);
        }
        return value;
    }

    /** A comma-separated list of frame numbers, each 1..NumberOfFrames (PS3.18 §8.3.3 FrameList). */
    static int[] frameNumbers(String list, DicomFolder.Instance instance) {
        String[] items = list.split(",", -1);
        if (items.length > MAX_FRAMES) {
            throw ProxyException.badRequest("more than " + MAX_FRAMES + " frames");
        }
        int count = instance.frames().frames();
        int[] frames = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            String item = items[i].strip();
            int n;
            try {
                n = item.length() > 9 ? -1 : Integer.parseInt(item);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > count) {
                throw ProxyException.badRequest("invalid frame number \"" + item + "\": instance "
                        + instance.sopInstanceUid() + " has frames 1 to " + count);
            }
            frames[i] = n;
        }
        return frames;
    }

    /** Native pixel data has the same bytes in both little endian syntaxes: label it with the explicit one. */
    static String servedSyntax(String stored) {
        return TransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN.equals(stored) ? TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN : stored;
    }

    /**
     * Whether the Accept header admits the stored representation: no header, a wildcard, or
     * {@code multipart/related} with no type or this type (or application/octet-stream asking for any syntax),
     * and transfer-syntax absent, "*" or the stored one.
     */
    static boolean acceptsStored(Exchange exchange, String essence, String mediaType, String syntax) {
        String accept = exchange.getIn().getHeader("Accept", String.class);
        if (accept == null || accept.isBlank()) {
            return true;
        }
        List<MediaType> ranges;
        try {
            ranges = MediaType.parseList(accept);
        } catch (IllegalArgumentException e) {
            throw ProxyException.badRequest("malformed Accept header: " + e.getMessage());
        }
        for (MediaType range : ranges) {
            if (AcceptNegotiator.refuses(range)) {
                continue;
            }
            String e = range.essence();
            if (e.equals("*/*") || e.equals("multipart/*")) {
                return true;
            }
            if (!e.equals(essence)) {
                continue;
            }
            String type = range.parameter("type");
            String ts = range.parameter("transfer-syntax");
            boolean anySyntax = ts == null || ts.equals("*");
            if (type == null || TransferSyntaxes.canonicalMediaType(type).equals(mediaType)) {
                if (anySyntax || ts.equals(syntax)) {
                    return true;
                }
            } else if (type.equals("application/octet-stream") && "*".equals(ts)) {
                return true;
            }
        }
        return false;
    }

    static boolean acceptsJson(Exchange exchange) {
        String accept = exchange.getIn().getHeader("Accept", String.class);
        if (accept == null || accept.isBlank()) {
            return true;
        }
        try {
            for (MediaType range : MediaType.parseList(accept)) {
                String e = range.essence();
                if (!AcceptNegotiator.refuses(range) && (e.equals("*/*") || e.equals("application/*")
                        || e.equals("application/dicom+json") || e.equals("application/json"))) {
                    return true;
                }
            }
        } catch (IllegalArgumentException e) {
            throw ProxyException.badRequest("malformed Accept header: " + e.getMessage());
        }
        return false;
    }

    /** JPEG (the default) or PNG, as the routes negotiate it (what the folder store renders). */
    private static String renderedType(String accept) {
        return RENDERED.renderedType(accept);
    }

    private static int quality(String value) {
        if (value == null) {
            return 0;
        }
        try {
            int q = Integer.parseInt(value);
            if (q >= 1 && q <= 100) {
                return q;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProxyException.badRequest("quality must be 1 to 100");
    }

    static String queryParameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static FrameRenderer.Pixels pixels(DicomFolder.Instance instance) {
        JsonNode m = instance.metadata();
        return new FrameRenderer.Pixels(instance.summary().transferSyntaxUid(), instance.summary().rows(),
                instance.summary().columns(), instance.summary().samplesPerPixel(), instance.summary().bitsAllocated(),
                firstInt(m, Tag.key(Tag.BitsStored)), firstText(m, Tag.key(Tag.PhotometricInterpretation)),
                firstInt(m, Tag.key(Tag.PlanarConfiguration)), firstInt(m, Tag.key(Tag.PixelRepresentation)) == 1);
    }

    static String firstText(JsonNode metadata, String tag) {
        JsonNode value = metadata.path(tag).path("Value").path(0);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    private static int firstInt(JsonNode metadata, String tag) {
        return metadata.path(tag).path("Value").path(0).asInt(0);
    }

    // ---- answers ----

    private static boolean isHead(Exchange exchange) {
        return "HEAD".equals(exchange.getIn().getHeader(Exchange.HTTP_METHOD, String.class));
    }

    private static Message answer(Exchange exchange, String contentType) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setBody(null);
        return message;
    }

    static void respond(Exchange exchange, String contentType, ByteBuffer body) {
        boolean head = isHead(exchange);
        Message message = answer(exchange, contentType);
        if (head) {
            message.setHeader("Content-Length", body.remaining());
        } else {
            message.setBody(body);
        }
    }

    static List<String> split(String commaSeparated) {
        List<String> values = new ArrayList<>();
        for (String v : commaSeparated.split(",")) {
            if (!v.isBlank()) {
                values.add(v.strip());
            }
        }
        return values;
    }
}
