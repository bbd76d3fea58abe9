package org.framecache.proxy.inbound;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.framecache.proxy.dicom.TransferSyntaxes;
import org.framecache.proxy.http.MediaType;
import org.framecache.proxy.http.ProxyException;

/**
 * Chooses one representation per request from the client's Accept (RFC 9110 §12.5.1, PS3.18 §8.7.3.5):
 * all media ranges and q-values are read; among the most preferred acceptable ranges the stored bytes win, since
 * they need no transcoding. Nothing acceptable is a 406, a malformed header a 400.
 */
public final class AcceptNegotiator {
    private static final String OFFERED_FRAMES = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*"
            + ", multipart/related; type=\"<image type>\"; transfer-syntax=<uid>";
    /** PS3.18 §8.7.4 rendered media types the proxy writes, in the order that breaks ties (JPEG first, the default). */
    private static final List<String> RENDERED_TYPES = List.of("image/jpeg", "image/png", "image/webp", "image/gif",
            "image/jxl");

    /** Media type → why it cannot be written here (empty when it can). */
    private final Function<String, Optional<String>> unavailable;

    /** JPEG and PNG only (what any store renders). */
    public AcceptNegotiator() {
        this(type -> type.equals("image/jpeg") || type.equals("image/png") ? Optional.empty()
                : Optional.of("the proxy has no encoder for it"));
    }

    /** @param unavailable for each rendered media type, why it cannot be written here, or empty when it can */
    public AcceptNegotiator(Function<String, Optional<String>> unavailable) {
        this.unavailable = unavailable;
    }

    public Representation forFrames(String accept) {
        List<MediaType> ranges = parse(accept);
        // RFC 9110 §12.5.1: q=0 refuses; a wildcard must not bring a refused representation back
        List<Representation> refused = new ArrayList<>();
        for (MediaType range : ranges) {
            if (quality(range) == 0) {
                Representation candidate = frameCandidate(range);
                if (candidate != null) {
                    refused.add(candidate);
                }
            }
        }
        for (List<MediaType> group : byPreference(ranges)) {
            Representation chosen = null;
            for (MediaType range : group) {
                Representation candidate = frameCandidate(range);
                if (candidate != null && !refused.contains(candidate)
                        && (chosen == null || candidate.isStored() && !chosen.isStored())) {
                    chosen = candidate;
                }
            }
            if (chosen != null) {
                return chosen;
            }
        }
        if (ranges.isEmpty()) {
            return Representation.stored();
        }
        throw ProxyException.notAcceptable("frames are offered as " + OFFERED_FRAMES + "; none is acceptable");
    }

    /**
     * Every representation the client accepts for frames, most preferred first (refusals removed); a client that
     * states nothing accepts the stored bytes.
     */
    public List<Representation> acceptableFrames(String accept) {
        List<MediaType> ranges = parse(accept);
        if (ranges.isEmpty()) {
            return List.of(Representation.stored());
        }
        List<Representation> refused = new ArrayList<>();
        for (MediaType range : ranges) {
            Representation candidate = quality(range) == 0 ? frameCandidate(range) : null;
            if (candidate != null) {
                refused.add(candidate);
            }
        }
        List<Representation> acceptable = new ArrayList<>();
        for (List<MediaType> group : byPreference(ranges)) {
            for (MediaType range : group) {
                Representation candidate = frameCandidate(range);
                if (candidate != null && !refused.contains(candidate) && !acceptable.contains(candidate)) {
                    acceptable.add(candidate);
                }
            }
        }
        return acceptable;
    }

    /**
     * The rendered media type (PS3.18 §8.7.4, §10.4.1.1.3): the acceptable type with the highest q-value that can be
     * written here (JPEG wins ties, and is what a client stating nothing gets); {@code multipart/related; type=...}
     * ranges count as their type. Nothing acceptable is a 406 saying what is offered, or why the type asked for is not
     * available here.
     */
    public Representation forRendered(String accept, String query) {
        return Representation.rendered(renderedType(accept), query);
    }

    public String renderedType(String accept) {
        List<MediaType> ranges = new ArrayList<>();
        for (MediaType range : parse(accept)) {
            if (range.parameter("transfer-syntax") != null) {
                throw ProxyException.badRequest("transfer-syntax is not allowed for rendered media types");
            }
            String type = range.essence().equals("multipart/related") ? range.parameter("type") : null;
            if (type != null) {
                String q = range.parameter("q");
                MediaType part = MediaType.parse(type);
                range = MediaType.parse(part.essence() + (q == null ? "" : "; q=" + q));
            }
            ranges.add(range);
        }
        if (ranges.isEmpty()) {
            return "image/jpeg";
        }
        // each type's quality is that of the most specific range matching it (RFC 9110 §12.5.1)
        String chosen = null;
        double best = 0;
        String wantedHere = null;
        double wantedQuality = 0;
        for (String type : RENDERED_TYPES) {
            double q = qualityOf(type, ranges);
            Optional<String> why = unavailable.apply(type);
            if (why.isPresent()) {
                if (q > wantedQuality && explicitlyNamed(type, ranges)) {
                    wantedQuality = q;
                    wantedHere = type + " is not available here: " + why.get();
                }
            } else if (q > best) {
                best = q;
                chosen = type;
            }
        }
        if (chosen == null) {
            throw ProxyException.notAcceptable(wantedHere != null ? wantedHere
                    : "rendered frames are offered as " + offered() + "; none is acceptable");
        }
        return chosen;
    }

    private String offered() {
        return String.join(", ", RENDERED_TYPES.stream().filter(t -> unavailable.apply(t).isEmpty()).toList());
    }

    private static boolean explicitlyNamed(String type, List<MediaType> ranges) {
        return ranges.stream().anyMatch(r -> r.essence().equals(type));
    }

    private static double qualityOf(String type, List<MediaType> ranges) {
        int bestSpecificity = -1;
        double q = 0;
        for (MediaType range : ranges) {
            String essence = range.essence();
            int specificity = essence.equals(type) ? 2
                    : essence.equals(type.substring(0, type.indexOf('/')) + "/*") ? 1
                    : essence.equals("*/*") ? 0 : -1;
            if (specificity > bestSpecificity) {
                bestSpecificity = specificity;
                q = quality(range);
            }
        }
        return q;
    }

    private static Representation frameCandidate(MediaType range) {
        String essence = range.essence();
        if (essence.equals("*/*")) {
            return Representation.stored();
        }
        String type;
        String syntax;
        if (essence.equals("multipart/related") || essence.equals("multipart/*")) {
            type = range.parameter("type");
            syntax = range.parameter("transfer-syntax");
            if (type != null && type.contains(";")) {
                // some clients nest the syntax inside the quoted type, as Orthanc answers
                MediaType nested = MediaType.parse(type);
                type = nested.essence();
                syntax = syntax != null ? syntax : nested.parameter("transfer-syntax");
            }
        } else {
            // a bare pixel-data type: the multipart packaging is implied for frames
            type = essence;
            syntax = range.parameter("transfer-syntax");
        }
        if (type == null || type.equals("*/*")) {
            if (syntax == null || syntax.equals(Representation.ANY_SYNTAX)) {
                return Representation.stored();
            }
            String media = TransferSyntaxes.mediaTypeOf(syntax);
            return media == null ? null : Representation.raw(media, syntax);
        }
        type = TransferSyntaxes.canonicalMediaType(type.toLowerCase());
        if (type.equals("application/octet-stream") && Representation.ANY_SYNTAX.equals(syntax)) {
            return Representation.stored();
        }
        if (syntax == null) {
            syntax = TransferSyntaxes.defaultSyntax(type);
            return syntax == null ? null : Representation.raw(type, syntax);
        }
        if (syntax.equals(Representation.ANY_SYNTAX)) {
            return TransferSyntaxes.defaultSyntax(type) == null ? null : Representation.raw(type, syntax);
        }
        return type.equals(TransferSyntaxes.mediaTypeOf(syntax)) ? Representation.raw(type, syntax) : null;
    }

    private static List<MediaType> parse(String accept) {
        try {
            return MediaType.parseList(accept);
        } catch (IllegalArgumentException e) {
            throw ProxyException.badRequest("malformed Accept header: " + e.getMessage());
        }
    }

    /** Media ranges grouped by q-value, most preferred first; q=0 ranges are dropped. */
    private static List<List<MediaType>> byPreference(List<MediaType> ranges) {
        List<MediaType> sorted = new ArrayList<>();
        for (MediaType range : ranges) {
            if (quality(range) > 0) {
                sorted.add(range);
            }
        }
        sorted.sort(Comparator.comparingDouble(AcceptNegotiator::quality).reversed());
        List<List<MediaType>> groups = new ArrayList<>();
        double current = -1;
        for (MediaType range : sorted) {
            if (quality(range) != current) {
                groups.add(new ArrayList<>());
                current = quality(range);
            }
            groups.get(groups.size() - 1).add(range);
        }
        return groups;
    }

    /** Whether a media range refuses what it names: a q-value of 0 in any spelling (RFC 9110 §12.4.2). */
    public static boolean refuses(MediaType range) {
        return quality(range) == 0;
    }

    private static double quality(MediaType range) {
        String q = range.parameter("q");
        if (q == null) {
            return 1.0;
        }
        try {
            double value = Double.parseDouble(q);
            if (value < 0 || value > 1) {
                throw ProxyException.badRequest("q-value out of range in Accept header: " + q);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ProxyException.badRequest("malformed q-value in Accept header: " + q);
        }
    }
}
