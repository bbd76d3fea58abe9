package org.framecache.proxy.image.codec;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent Debian tools that make the reference files of the golden tests (opj_compress, opj_decompress,
 * ojph_compress, ojph_expand, cjxl, djxl), each with a deadline. A missing tool fails the test with the package to
 * install: .ci/run installs them, so a skip would only hide a gap.
 */
final class ReferenceTools {
    private ReferenceTools() {
    }

    static void run(String... command) throws IOException, InterruptedException {
        Path tool = Path.of("/usr/bin", command[0]);
        if (!Files.isExecutable(tool)) {
            fail(command[0] + " is missing: install the Debian package " + packageOf(command[0]));
        }
        List<String> line = new ArrayList<>(List.of(command));
        line.set(0, tool.toString());
        Path log = Files.createTempFile("reference-tool", ".log");
        try {
            Process process = new ProcessBuilder(line).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail(String.join(" ", command) + " did not finish in 60 s");
            }
            if (process.exitValue() != 0) {
                fail(String.join(" ", command) + " exited " + process.exitValue() + ": "
                        + new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String packageOf(String tool) {
        return switch (tool) {
            case "opj_compress", "opj_decompress" -> "libopenjp2-tools";
            case "ojph_compress", "ojph_expand" -> "openjph-tools";
            case "cjxl", "djxl" -> "libjxl-tools";
            default -> "that provides " + tool;
        };
    }
}
