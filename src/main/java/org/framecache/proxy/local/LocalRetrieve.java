package org.framecache.proxy.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.camel.Exchange;
import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.http.QueryString;
import org.framecache.proxy.outbound.MultipartResponseWriter;

/**
 * WADO-RS from a {@link DicomFolder} (PS3.18 §10.4): frames as stored, rendered frames, whole instances and
 * metadata. A store over files transcodes nothing: frames and instances are offered in their stored transfer
 * syntax only (native pixel data as Explicit VR Little Endian, which has the same bytes), so the proxy, which
 * asks for {@code transfer-syntax=*}, always gets what it caches. Path parameters arrive as the headers
 * {@code study}, {@code series}, {@code instance}, {@code frames} ({@link StoreRequest}); what Accept admits is
 * {@link StoreAccept}'s, the answer {@link StoreAnswer}'s.
 */
final class LocalRetrieve {
    private final DicomFolder folder;
    private final FrameRenderer renderer = new FrameRenderer();

    LocalRetrieve(DicomFolder folder) {
        this.folder = folder;
    }

    /** .../instances/{instance}/frames/{frames}: multipart/related, one part per frame, in request order. */
    void frames(Exchange exchange) throws IOException {
        DicomFolder.Instance instance = StoreRequest.instance(folder, exchange);
        int[] frames = StoreRequest.frames(exchange, instance);
        String syntax = servedSyntax(instance.summary().transferSyntaxUid());
        String mediaType = TransferSyntaxes.mediaTypeOf(syntax);
        if (!StoreAccept.admitsStored(StoreRequest.accept(exchange), "multipart/related", mediaType, syntax)) {
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
        StoreAnswer.bytes(exchange, MultipartResponseWriter.multipartType(partType, boundary),
                MultipartResponseWriter.multipart(boundary, types, locations, bodies));
    }

    /** .../frames/{frame}/rendered: image/jpeg (the default) or image/png. */
    void rendered(Exchange exchange) throws IOException {
        DicomFolder.Instance instance = StoreRequest.instance(folder, exchange);
        int[] frames = StoreRequest.frames(exchange, instance);
        if (frames.length != 1) {
            throw ProxyException.badRequest("a rendered retrieval names one frame");
        }
        String query = exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class);
        String accept = QueryString.first(query, "accept");
        String mediaType = StoreAccept.renderedType(accept != null ? accept : StoreRequest.header(exchange, "Accept"));
        int quality = StoreRequest.quality(QueryString.first(query, "quality"));
        byte[] image = renderer.render(instance.readFrame(frames[0]), FrameRenderer.Pixels.of(instance), mediaType,
                quality);
        StoreAnswer.bytes(exchange, mediaType, ByteBuffer.wrap(image));
    }

    /** .../instances/{instance}: the Part 10 file itself, as multipart/related; type="application/dicom". */
    void instance(Exchange exchange) throws IOException {
        DicomFolder.Instance instance = StoreRequest.instance(folder, exchange);
        String syntax = instance.summary().transferSyntaxUid();
        if (!StoreAccept.admitsStored(StoreRequest.accept(exchange), "multipart/related", "application/dicom", syntax)) {
            throw ProxyException.notAcceptable("this store serves " + instance.sopInstanceUid()
                    + " only as stored: multipart/related; type=\"application/dicom\"; transfer-syntax=" + syntax);
        }
        StoreAnswer.part10(exchange, instance, syntax, MultipartResponseWriter.newBoundary());
    }

    /** .../metadata at study, series or instance level (PS3.18 §10.4.1.1.2): a DICOM JSON array. */
    void metadata(Exchange exchange) throws IOException {
        String study = StoreRequest.header(exchange, "study");
        String series = exchange.getIn().getHeader("series", String.class);
        String sop = exchange.getIn().getHeader("instance", String.class);
        List<DicomFolder.Instance> instances;
        if (sop != null) {
            instances = List.of(StoreRequest.instance(folder, exchange));
        } else {
            instances = folder.instances(study, series);
            if (instances.isEmpty()) {
                throw new ProxyException(404, (series == null ? "no study " + study : "no series " + series)
                        + " in this store");
            }
        }
        if (!StoreAccept.admitsJson(StoreRequest.accept(exchange))) {
            throw ProxyException.notAcceptable("metadata is offered as application/dicom+json");
        }
        ArrayNode array = StoreAnswer.JSON.createArrayNode();
        instances.forEach(i -> array.add(i.metadata()));
        StoreAnswer.json(exchange, array);
    }

    /** Native pixel data has the same bytes in both little endian syntaxes: label it with the explicit one. */
    static String servedSyntax(String stored) {
        return TransferSyntaxes.IMPLICIT_VR_LITTLE_ENDIAN.equals(stored) ? TransferSyntaxes.EXPLICIT_VR_LITTLE_ENDIAN : stored;
    }
}
