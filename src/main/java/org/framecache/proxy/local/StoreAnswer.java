package org.framecache.proxy.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The store's 200 answer, as camel-http would leave it: the request's headers gone, {@code CamelHttpResponseCode},
 * {@code Content-Type} and the body; for HEAD only the {@code Content-Length} the body would have.
 */
final class StoreAnswer {
    static final ObjectMapper JSON = new ObjectMapper();

    private StoreAnswer() {
    }

    static void bytes(Exchange exchange, String contentType, ByteBuffer body) {
        boolean head = isHead(exchange); // read before answer() drops the request's headers
        Message message = answer(exchange, contentType);
        if (head) {
            message.setHeader("Content-Length", body.remaining());
        } else {
            message.setBody(body);
        }
    }

    /** A DICOM JSON answer (metadata, search results). */
    static void json(Exchange exchange, JsonNode json) throws JsonProcessingException {
        bytes(exchange, "application/dicom+json", ByteBuffer.wrap(JSON.writeValueAsBytes(json)));
    }

    /** The Part 10 file of an instance as the one part of multipart/related; type="application/dicom". */
    static void part10(Exchange exchange, DicomFolder.Instance instance, String syntax, String boundary)
            throws IOException {
        long size = Files.size(instance.file());
        byte[] head = ("--" + boundary + "\r\nContent-Type: application/dicom; transfer-syntax=" + syntax
                + "\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        boolean headOnly = isHead(exchange); // read before answer() drops the request's headers
        Message message = answer(exchange, "multipart/related; type=\"application/dicom\"; boundary=" + boundary);
        message.setHeader("Content-Length", head.length + size + tail.length);
        if (!headOnly) {
            // streamed from the file: an instance can be hundreds of megabytes
            InputStream body = new SequenceInputStream(new SequenceInputStream(new ByteArrayInputStream(head),
                    Files.newInputStream(instance.file())), new ByteArrayInputStream(tail));
            message.setBody(body);
        }
    }

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
}
