package org.framecache.proxy.access;

import static org.framecache.proxy.dicom.Tag.key;
import static org.framecache.proxy.dicom.Tag.keys;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.camel.Message;
import org.framecache.proxy.dicom.Tag;
import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.image.PixelFormat;

/**
 * What the metadata says of an instance's pixels: frames, their size uncompressed (0 when not all said), and the
 * layout and ICC profile reference a rendering needs.
 */
record InstanceShape(int frames, long pixelBytes, InstanceImage image) {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String NUMBER_OF_FRAMES = key(Tag.NumberOfFrames);
    private static final String ICC_PROFILE = key(Tag.ICCProfile);
    private static final String OPTICAL_PATH_SEQUENCE = key(Tag.OpticalPathSequence);
    private static final String TOTAL_COLUMNS = key(Tag.TotalPixelMatrixColumns);
    private static final String TOTAL_ROWS = key(Tag.TotalPixelMatrixRows);
    private static final String BITS_STORED = key(Tag.BitsStored);
    private static final String PLANAR_CONFIGURATION = key(Tag.PlanarConfiguration);
    /** The Image Pixel module's format, and what virtual pyramid levels need. */
    private static final List<String> FORMAT_TAGS = keys(Tag.BitsStored, Tag.PhotometricInterpretation,
            Tag.PlanarConfiguration, Tag.PixelRepresentation, Tag.TotalPixelMatrixColumns, Tag.TotalPixelMatrixRows,
            Tag.DimensionOrganizationType);

    /** In this order: what a frame's size is made of. */
    private static final List<String> PIXEL_TAGS = keys(Tag.Rows, Tag.Columns, Tag.SamplesPerPixel, Tag.BitsAllocated);

    /**
     * NumberOfFrames (1 when absent, PS3.3 C.7.6.6), the Image Pixel module's attributes (PS3.3 C.7.6.3) and the ICC
     * profile reference (top level, or the Optical Path Sequence's first item) of the first data set.
     */
    static InstanceShape read(Message answer) {
        try (InputStream body = answer.getBody(InputStream.class); JsonParser json = JSON.createParser(body)) {
            if (json.nextToken() != JsonToken.START_ARRAY || json.nextToken() != JsonToken.START_OBJECT) {
                throw new ProxyException(502, "the store's metadata is not a DICOM JSON array");
            }
            Map<String, String> values = new HashMap<>();
            String[] icc = new String[2];
            String[] opticalPathIcc = new String[2];
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String tag = json.currentName();
                json.nextToken();
                if (ICC_PROFILE.equals(tag)) {
                    DicomJsonAttributes.bulkOrInline(json, icc);
                } else if (OPTICAL_PATH_SEQUENCE.equals(tag)) {
                    DicomJsonAttributes.firstItemBulkOrInline(json, ICC_PROFILE, opticalPathIcc);
                } else if (NUMBER_OF_FRAMES.equals(tag) || PIXEL_TAGS.contains(tag) || FORMAT_TAGS.contains(tag)) {
                    String value = DicomJsonAttributes.firstValue(json);
                    if (value != null) {
                        values.put(tag, value.strip());
                    }
                } else {
                    json.skipChildren();
                }
            }
            int frames = values.containsKey(NUMBER_OF_FRAMES) ? Integer.parseInt(values.get(NUMBER_OF_FRAMES)) : 1;
            long[] pixel = new long[PIXEL_TAGS.size()];
            for (int i = 0; i < pixel.length; i++) {
                String value = values.get(PIXEL_TAGS.get(i));
                pixel[i] = value == null ? 0 : Long.parseLong(value);
            }
            long bytes;
            try {
                bytes = Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(frames, pixel[0]), pixel[1]),
                        Math.multiplyExact(pixel[2], pixel[3] / 8));
            } catch (ArithmeticException overflow) {
                bytes = Long.MAX_VALUE;
            }
            String[] profile = icc[0] != null || icc[1] != null ? icc : opticalPathIcc;
            byte[] inline = profile[0] == null ? null : Base64.getMimeDecoder().decode(profile[0]);
            long totalColumns = values.containsKey(TOTAL_COLUMNS) ? Long.parseLong(values.get(TOTAL_COLUMNS)) : 0;
            long totalRows = values.containsKey(TOTAL_ROWS) ? Long.parseLong(values.get(TOTAL_ROWS)) : 0;
            boolean tiledFull = "TILED_FULL".equals(values.get(key(Tag.DimensionOrganizationType)));
            return new InstanceShape(frames, bytes, new InstanceImage(pixelFormat(values, pixel), inline, profile[1],
                    totalColumns, totalRows, tiledFull));
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new ProxyException(502, "the store's metadata could not be read: " + e.getMessage());
        }
    }

    /** The Image Pixel module as a {@link PixelFormat}; null when Rows, Columns, SamplesPerPixel or BitsAllocated is missing. */
    private static PixelFormat pixelFormat(Map<String, String> values, long[] pixel) {
        if (pixel[0] <= 0 || pixel[1] <= 0 || pixel[2] <= 0 || pixel[3] <= 0 || pixel[0] > 65535 || pixel[1] > 65535
                || pixel[2] > 4 || pixel[3] > 32) {
            return null;
        }
        int bitsStored = values.containsKey(BITS_STORED) ? Integer.parseInt(values.get(BITS_STORED)) : (int) pixel[3];
        String photometric = values.getOrDefault(key(Tag.PhotometricInterpretation), pixel[2] == 1 ? "MONOCHROME2" : "RGB");
        int planar = values.containsKey(PLANAR_CONFIGURATION) ? Integer.parseInt(values.get(PLANAR_CONFIGURATION)) : 0;
        boolean signed = "1".equals(values.get(key(Tag.PixelRepresentation)));
        return new PixelFormat((int) pixel[0], (int) pixel[1], (int) pixel[2], (int) pixel[3], bitsStored, photometric,
                planar, signed);
    }
}
