package org.framecache.proxy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.framecache.proxy.multipart.MediaType;

/**
 * Chooses one representation per request from the client's Accept (RFC 9110 §12.5.1, PS3.18 §8.7.3.5):
 * all media ranges and q-values are read; among the most preferred acceptable ranges the stored bytes win, since
 * they need no transcoding. Nothing acceptable is a 406, a malformed header a 400.
 */
public final class AcceptNegotiator {
    private static final String OFFERED_FRAMES = "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*"
            + ", multipart/related; type=\"<image type>\"; transfer-syntax=<uid>";
    private static final String OFFERED_RENDERED = "image/jpeg, image/png";
    private static final List<String> RENDERED_TYPES = List.of("image/jpeg", "image/png");

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

    public Representation forRendered(String accept, String query) {
        List<MediaType> ranges = parse(accept);
        if (ranges.isEmpty()) {
            return Representation.rendered("image/jpeg", query);
        }
        for (MediaType range : ranges) {
            if (range.parameter("transfer-syntax") != null) {
                throw ProxyException.badRequest("transfer-syntax is not allowed for rendered media types");
            }
        }
        // each type's quality is that of the most specific range matching it (RFC 9110 §12.5.1); JPEG wins ties
        String chosen = null;
        double best = 0;
        for (String type : RENDERED_TYPES) {
            double q = qualityOf(type, ranges);
            if (q > best) {
                best = q;
                chosen = type;
            }
        }
        if (chosen == null) {
            throw ProxyException.notAcceptable("rendered frames are offered as " + OFFERED_RENDERED + "; none is acceptable");
        }
        return Representation.rendered(chosen, query);
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
