package org.framecache.proxy.render;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.framecache.proxy.dicom.Tag;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.inbound.RenderQuery;
import org.framecache.proxy.inbound.VirtualLevel;
import org.framecache.proxy.upstream.PassThrough;

/**
 * An instance's metadata for a virtual pyramid level ({@code .../metadata?downsample=N}, as the reference proxy): the
 * store's answer, passed through, with what a viewer needs to read the level the frames route makes: TotalPixelMatrix
 * Columns and Rows divided by N, NumberOfFrames, Rows and Columns of its frames, PixelSpacing times N. Only TILED_FULL
 * data sets change; the answer is read whole (at most {@code maxBytes}, else 502).
 */
public final class DownsampledMetadata {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INSTANCE_METADATA = Pattern.compile("/studies/[0-9.]+/series/[0-9.]+/instances/[0-9.]+/metadata");

    private final int maxBytes;

    public DownsampledMetadata(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The factor asked for an instance's metadata the store answered 200 for, else 1 (nothing to do). */
    public int factor(Exchange exchange) {
        Object sent = exchange.getProperty(PassThrough.REQUEST_PROPERTY);
        if (!(sent instanceof Map<?, ?> request) || !"GET".equals(request.get(Exchange.HTTP_METHOD))
                || !(request.get(Exchange.HTTP_PATH) instanceof String path) || !INSTANCE_METADATA.matcher(path).matches()
                || !(request.get(Exchange.HTTP_QUERY) instanceof String query)
                || exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class) != 200) {
            return 1;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).strip().equalsIgnoreCase("downsample")) {
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                return RenderQuery.parse(Map.of("downsample", value)).downsample();
            }
        }
        return 1;
    }

    public boolean applies(Exchange exchange) {
        return factor(exchange) > 1;
    }

    /** Rewrites the store's metadata answer (the message body) for the level. */
    public void rewrite(Exchange exchange) throws IOException {
        int factor = factor(exchange);
        byte[] body;
        try (InputStream in = exchange.getMessage().getBody(InputStream.class)) {
            body = in == null ? new byte[0] : in.readNBytes(maxBytes + 1);
        }
        if (body.length > maxBytes) {
            throw new ProxyException(502, "the instance's metadata is larger than the proxy rewrites for downsample ("
                    + maxBytes + " bytes)");
        }
        JsonNode root = JSON.readTree(body);
        if (!(root instanceof ArrayNode datasets)) {
            throw new ProxyException(502, "the store's metadata is not a DICOM JSON array");
        }
        for (JsonNode dataset : datasets) {
            if (dataset instanceof ObjectNode object) {
                rewrite(object, factor);
            }
        }
        exchange.getMessage().setBody(JSON.writeValueAsBytes(root));
        exchange.getMessage().removeHeader("Content-Length");
    }

    /** Shared Functional Groups → Pixel Measures → Pixel Spacing (PS3.3 C.7.6.16.2.1). */
    private static final String PIXEL_SPACING = "/" + Tag.key(Tag.SharedFunctionalGroupsSequence) + "/Value/0/"
            + Tag.key(Tag.PixelMeasuresSequence) + "/Value/0/" + Tag.key(Tag.PixelSpacing) + "/Value";

    static void rewrite(ObjectNode dataset, int factor) {
        if (!"TILED_FULL".equals(first(dataset, Tag.DimensionOrganizationType))) {
            return;
        }
        String columns = first(dataset, Tag.Columns);
        String rows = first(dataset, Tag.Rows);
        String totalColumns = first(dataset, Tag.TotalPixelMatrixColumns);
        String totalRows = first(dataset, Tag.TotalPixelMatrixRows);
        if (columns == null || rows == null || totalColumns == null || totalRows == null) {
            return;
        }
        VirtualLevel level = new VirtualLevel(factor, Integer.parseInt(columns), Integer.parseInt(rows),
                Long.parseLong(totalColumns), Long.parseLong(totalRows));
        set(dataset, Tag.TotalPixelMatrixColumns, level.columns());
        set(dataset, Tag.TotalPixelMatrixRows, level.rows());
        set(dataset, Tag.Columns, level.frameColumns());
        set(dataset, Tag.Rows, level.frameRows());
        set(dataset, Tag.NumberOfFrames, level.frameCount());
        JsonNode measures = dataset.at(PIXEL_SPACING);
        if (measures instanceof ArrayNode spacing) {
            for (int i = 0; i < spacing.size(); i++) {
                double scaled = Double.parseDouble(spacing.get(i).asText()) * factor;
                if (spacing.get(i).isTextual()) {
                    spacing.set(i, JSON.getNodeFactory().textNode(decimalString(scaled)));
                } else {
                    spacing.set(i, JSON.getNodeFactory().numberNode(scaled));
                }
            }
        }
    }

    /** A DS value: at most 16 characters (PS3.5 Table 6.2-1). */
    private static String decimalString(double value) {
        String text = Double.toString(value);
        if (text.length() <= 16) {
            return text;
        }
        return String.format(java.util.Locale.ROOT, "%.10g", value).strip();
    }

    private static String first(ObjectNode dataset, int tag) {
        JsonNode value = dataset.path(Tag.key(tag)).path("Value").path(0);
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    /** Replaces the attribute's first value, keeping how the store wrote it (number or string). */
    private static void set(ObjectNode dataset, int tag, long value) {
        JsonNode values = dataset.path(Tag.key(tag)).path("Value");
        if (values instanceof ArrayNode array && !array.isEmpty()) {
            array.set(0, array.get(0).isTextual() ? JSON.getNodeFactory().textNode(Long.toString(value))
                    : JSON.getNodeFactory().numberNode(value));
        }
    }
}
