package org.framecache.proxy.local;

import org.apache.camel.Exchange;
import org.framecache.proxy.http.ProxyException;

/**
 * What a WADO-RS request to the folder names: the path parameters {@link DicomFolderComponent} set as the headers
 * {@code study}, {@code series}, {@code instance}, {@code frames}, and the query's rendering quality. Missing or
 * invalid values are a 400, an instance the folder does not hold a 404.
 */
final class StoreRequest {
    private static final int MAX_FRAMES = 10_000;

    private StoreRequest() {
    }

    /** The instance the path names. */
    static DicomFolder.Instance instance(DicomFolder folder, Exchange exchange) {
        String study = header(exchange, "study");
        String series = header(exchange, "series");
        String sop = header(exchange, "instance");
        DicomFolder.Instance instance = folder.instance(study, series, sop);
        if (instance == null) {
            throw new ProxyException(404, "no instance " + sop + " in series " + series + " of study " + study);
        }
        return instance;
    }

    /** The Accept header, or null. */
    static String accept(Exchange exchange) {
        return exchange.getIn().getHeader("Accept", String.class);
    }

    /** A header the path always sets; missing or empty is a 400. */
    static String header(Exchange exchange, String name) {
        String value = exchange.getIn().getHeader(name, String.class);
        if (value == null || value.isEmpty()) {
            throw ProxyException.badRequest("missing " + name);
        }
        return value;
    }

    /** The path's frame list: each 1..NumberOfFrames of {@code instance} (PS3.18 §8.3.3 FrameList). */
    static int[] frames(Exchange exchange, DicomFolder.Instance instance) {
        return frameNumbers(header(exchange, "frames"), instance);
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

    /** The {@code quality} query parameter: 1..100, or 0 when absent (the renderer's default). */
    static int quality(String value) {
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
}
