package org.framecache.proxy.bench;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;

import org.apache.camel.main.Main;
import org.framecache.proxy.ProxyMain;
import org.framecache.proxy.image.FrameDecoder;
import org.framecache.proxy.image.FrameTranscoder;
import org.framecache.proxy.image.ImageCodecs;
import org.framecache.proxy.image.ImageEncoder;
import org.framecache.proxy.image.ImageOperations;
import org.framecache.proxy.image.PixelFormat;
import org.framecache.proxy.image.RenderParameters;
import org.framecache.proxy.image.RenderParameters.IccProfile;
import org.framecache.proxy.image.RenderParameters.Interpolation;
import org.framecache.proxy.image.RenderParameters.Viewport;
import org.framecache.proxy.testing.EncodedSlides;
import org.framecache.proxy.testing.FreePorts;
import org.framecache.proxy.testing.GeneratedInstance;
import org.framecache.proxy.testing.OrthancProcess;
import org.framecache.proxy.testing.SlideGenerator;

/**
 * The image operations' benchmark ({@code bench/render}): ms per 256x256 tile for each operation, on this thread
 * (median of many runs after a warm-up); then, with {@code --serve ENVFILE}, a local Orthanc with a 64-frame 256x256
 * baseline-JPEG level and the proxy in this JVM (routes from {@code routes/}), every tile warmed stored and rendered,
 * and the URLs written for wrk to an env file; it stays up until stdin closes.
 */
public final class RenderBench {
    private static final int TILE = 256;
    private static final int WARMUP = 30;
    private static final int RUNS = 100;

    private RenderBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("--serve")) {
            serve(Path.of(args[1]));
        } else {
            operations();
        }
    }

    /** One line per operation: name, ms per 256x256 tile (median), or why it was not measured. */
    static void operations() throws Exception {
        ImageCodecs codecs = new ImageCodecs();
        ImageOperations ops = new ImageOperations();
        GeneratedInstance jpeg = SlideGenerator.jpegWsi("1.2.3", "1.2.3.4", 2, 2, TILE, false);
        GeneratedInstance big = SlideGenerator.jpegWsi("1.2.3", "1.2.3.5", 1, 1, 2 * TILE, false);
        GeneratedInstance nativeRgb = SlideGenerator.nativeInstance("1.2.3", "1.2.3.6", 1, TILE, TILE, true);
        PixelFormat ycbcr = new PixelFormat(TILE, TILE, 3, 8, 8, "YBR_FULL_422", 0, false);
        PixelFormat bigYcbcr = new PixelFormat(2 * TILE, 2 * TILE, 3, 8, 8, "YBR_FULL_422", 0, false);
        PixelFormat rgb = new PixelFormat(TILE, TILE, 3, 8, 8, "RGB", 0, false);
        byte[] jpegFrame = jpeg.frames().get(0);
        byte[] nativeFrame = nativeRgb.frames().get(0);
        FrameDecoder jpegDecoder = codecs.decoder("1.2.840.10008.1.2.4.50").orElseThrow();
        BufferedImage tile = jpegDecoder.decode(jpegFrame, ycbcr);
        BufferedImage bigTile = jpegDecoder.decode(big.frames().get(0), bigYcbcr);
        byte[] adobe;
        try (InputStream in = RenderBench.class.getResourceAsStream("/icc/AdobeRGB1998.icc")) {
            adobe = in.readAllBytes();
        }

        System.out.println("| operation (256x256 tile) | ms per tile |");
        System.out.println("|---|---|");
        time("decode baseline JPEG (.4.50)", () -> jpegDecoder.decode(jpegFrame, ycbcr));
        Optional<FrameDecoder> nativeDecoder = codecs.decoder("1.2.840.10008.1.2.1");
        timeIf("decode native RGB (.1.2.1)", nativeDecoder.isPresent(), () -> nativeDecoder.get().decode(nativeFrame, rgb));
        for (GeneratedInstance encoded : encodedTiles()) {
            Optional<FrameDecoder> decoder = codecs.decoder(encoded.transferSyntaxUid());
            byte[] frame = encoded.frames().get(0);
            timeIf("decode " + ENCODED_NAMES.get(encoded.transferSyntaxUid()) + " (" + encoded.transferSyntaxUid()
                    .substring("1.2.840.10008.1.2".length()) + ")", decoder.isPresent(), () -> decoder.get().decode(frame, rgb));
        }
        for (String type : List.of("image/jpeg", "image/png", "image/webp", "image/gif", "image/jxl")) {
            Optional<ImageEncoder> encoder = codecs.encoder(type);
            timeIf("encode " + type + (type.equals("image/jpeg") ? " (quality 95)" : ""), encoder.isPresent(),
                    () -> encoder.get().encode(tile, 95, null));
        }
        for (Interpolation interpolation : Interpolation.values()) {
            RenderParameters p = new RenderParameters(95, 2, interpolation, null, IccProfile.NO, false);
            time("downsample=2 " + interpolation.name().toLowerCase() + " (512x512 in, 256x256 out)",
                    () -> ops.apply(bigTile, null, p));
        }
        RenderParameters viewport = new RenderParameters(95, 1, Interpolation.AREA,
                new Viewport(TILE, TILE, true, 192, 64, -128, 128), IccProfile.NO, false);
        time("viewport 256,256 of a flipped 128x128 region", () -> ops.apply(tile, null, viewport));
        for (IccProfile target : List.of(IccProfile.SRGB, IccProfile.ADOBERGB, IccProfile.DISPLAYP3)) {
            RenderParameters p = new RenderParameters(95, 1, Interpolation.AREA, null, target, true);
            time("iccprofile=" + target.name().toLowerCase() + " from Adobe RGB"
                    + (target == IccProfile.ADOBERGB ? " (same profile: nothing to do)" : ""), () -> ops.apply(tile, adobe, p));
        }
        Optional<ImageEncoder> jpegEncoder = codecs.encoder("image/jpeg");
        timeIf("transcode native -> baseline JPEG", nativeDecoder.isPresent() && jpegEncoder.isPresent(),
                () -> jpegEncoder.get().encode(nativeDecoder.get().decode(nativeFrame, rgb), 95, null));
        Optional<FrameTranscoder> toJxl = codecs.transcoder("1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.111");
        timeIf("transcode baseline JPEG -> JPEG-XL (.4.111, lossless)", toJxl.isPresent(),
                () -> toJxl.get().transcode(jpegFrame));
        Optional<FrameTranscoder> fromJxl = codecs.transcoder("1.2.840.10008.1.2.4.111", "1.2.840.10008.1.2.4.50");
        byte[] jxlFrame = toJxl.isPresent() ? toJxl.get().transcode(jpegFrame) : null;
        timeIf("transcode JPEG-XL (.4.111) -> the baseline JPEG it was made from", fromJxl.isPresent() && jxlFrame != null,
                () -> fromJxl.get().transcode(jxlFrame));
        RenderParameters full = new RenderParameters(90, 1, Interpolation.AREA, null, IccProfile.NO, false);
        timeIf("rendered JPEG q90 from baseline JPEG (decode + encode)", jpegEncoder.isPresent(),
                () -> jpegEncoder.get().encode(ops.apply(jpegDecoder.decode(jpegFrame, ycbcr), null, full), 90, null));
    }

    private static final Map<String, String> ENCODED_NAMES = Map.of(
            EncodedSlides.JPEG_2000_LOSSLESS, "JPEG 2000 lossless", EncodedSlides.HTJ2K_LOSSLESS, "HTJ2K lossless",
            EncodedSlides.JPEG_XL_LOSSLESS, "JPEG-XL lossless");

    /** One 256x256 tile in each syntax its codec's command-line tool makes (skipped with a line when a tool is missing). */
    private static List<GeneratedInstance> encodedTiles() {
        List<GeneratedInstance> tiles = new ArrayList<>();
        List<BiFunction<String, String, GeneratedInstance>> makers = List.of(
                (a, b) -> EncodedSlides.jpeg2000Lossless(a, b, 1, TILE), (a, b) -> EncodedSlides.htj2kLossless(a, b, 1, TILE),
                (a, b) -> EncodedSlides.jpegXlLossless(a, b, 1, TILE));
        for (var maker : makers) {
            try {
                tiles.add(maker.apply("1.2.3", "1.2.3.7"));
            } catch (RuntimeException e) {
                System.out.println("| (a tile not made: " + e.getMessage().lines().findFirst().orElse("") + ") | |");
            }
        }
        return tiles;
    }

    private static void timeIf(String name, boolean available, Callable<?> operation) throws Exception {
        if (available) {
            time(name, operation);
        } else {
            System.out.println("| " + name + " | not available here (see the start-up warnings) |");
        }
    }

    private static void time(String name, Callable<?> operation) throws Exception {
        for (int i = 0; i < WARMUP; i++) {
            operation.call();
        }
        long[] nanos = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            operation.call();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf("| %s | %.2f |%n", name, nanos[RUNS / 2] / 1e6);
    }

    /** Orthanc with a 64-frame level, the proxy in front of it, every tile warm; the wrk URLs into {@code env}. */
    static void serve(Path env) throws Exception {
        OrthancProcess orthanc = OrthancProcess.start(Map.of());
        Main proxy = null;
        try {
            GeneratedInstance level = SlideGenerator.jpegWsi(SlideGenerator.newUid(), SlideGenerator.newUid(), 8, 8, TILE, true);
            orthanc.upload(level.part10());
            int port = FreePorts.loopback();
            proxy = ProxyMain.application(Path.of("routes"));
            proxy.addOverrideProperty("proxy.upstream-url", orthanc.dicomWebUrl());
            proxy.addOverrideProperty("camel.server.host", "127.0.0.1");
            proxy.addOverrideProperty("camel.server.port", Integer.toString(port));
            proxy.addOverrideProperty("camel.management.port", Integer.toString(FreePorts.loopback()));
            proxy.addOverrideProperty("prefetch.enabled", "false");
            proxy.start();
            String origin = "http://127.0.0.1:" + port;
            String path = "/dicomweb/studies/" + level.studyUid() + "/series/" + level.seriesUid() + "/instances/"
                    + level.sopInstanceUid();
            String base = origin + path;
            HttpClient http = HttpClient.newHttpClient();
            for (int frame = 1; frame <= level.numberOfFrames(); frame++) {
                List<String[]> requests = new ArrayList<>(List.of(
                        new String[] {"/frames/" + frame, "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*"},
                        new String[] {"/frames/" + frame + "/rendered", "image/jpeg"},
                        new String[] {"/frames/" + frame + "/rendered?quality=90", "image/jpeg"},
                        new String[] {"/frames/" + frame + "/rendered?quality=90", "image/webp"}));
                if (frame <= level.numberOfFrames() / 4) {
                    // the 2x level of the 8 x 8 tiles: 4 x 4 frames, each from a block of 2 x 2 stored tiles
                    requests.add(new String[] {"/frames/" + frame + "/rendered?downsample=2", "image/png"});
                }
                for (String[] request : requests) {
                    HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(base + request[0]))
                            .header("Accept", request[1]).timeout(Duration.ofSeconds(30)).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException(request[0] + " as " + request[1] + ": " + answer.statusCode() + " "
                                + new String(answer.body()));
                    }
                }
            }
            Path partial = Path.of(env + ".part");
            Files.writeString(partial, "ORIGIN=" + origin + "\nINSTANCE_PATH=" + path + "\nFRAMES="
                    + level.numberOfFrames() + "\n");
            Files.move(partial, env);
            System.err.println("[render-bench] ready: " + base);
            while (System.in.read() >= 0) {
                // until the script closes stdin
            }
        } finally {
            if (proxy != null) {
                proxy.stop();
            }
            orthanc.close();
        }
    }
}
