package org.framecache.proxy.local;

import static org.framecache.proxy.dicom.Tag.key;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.framecache.proxy.dicom.Tag;
import org.framecache.proxy.http.ProxyException;

/**
 * QIDO-RS over a {@link DicomFolder} (PS3.18 §10.6): studies, series and instances ({@link SearchCandidates}),
 * filtered by attribute (keyword or tag: exact value, '*' and '?' wildcards, comma-separated UID lists, date and
 * time ranges; {@link AttributeMatcher}), {@code limit}, {@code offset} and {@code includefield} ("all" for every
 * attribute of the level's first instance; {@link SearchQuery}).
 */
final class LocalSearch {
    enum Level { STUDY, SERIES, INSTANCE }

    private final DicomFolder folder;

    LocalSearch(DicomFolder folder) {
        this.folder = folder;
    }

    void studies(Exchange exchange) {
        search(exchange, Level.STUDY);
    }

    void series(Exchange exchange) {
        search(exchange, Level.SERIES);
    }

    void instances(Exchange exchange) {
        search(exchange, Level.INSTANCE);
    }

    private void search(Exchange exchange, Level level) {
        if (!StoreAccept.admitsJson(StoreRequest.accept(exchange))) {
            throw ProxyException.notAcceptable("search results are offered as application/dicom+json");
        }
        SearchQuery query = SearchQuery.parse(exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class));
        // path parameters narrow the search like filters on the UIDs (PS3.18 §10.6.1.2)
        String study = exchange.getIn().getHeader("study", String.class);
        String series = exchange.getIn().getHeader("series", String.class);
        if (study != null) {
            query.filters.put(key(Tag.StudyInstanceUID), study);
        }
        if (series != null) {
            query.filters.put(key(Tag.SeriesInstanceUID), series);
        }
        ArrayNode results = StoreAnswer.JSON.createArrayNode();
        int skipped = 0;
        for (ObjectNode candidate : SearchCandidates.of(folder, level, query.includeAll)) {
            if (!query.matches(candidate)) {
                continue;
            }
            if (skipped++ < query.offset) {
                continue;
            }
            if (results.size() == query.limit) {
                break;
            }
            results.add(candidate);
        }
        try {
            StoreAnswer.json(exchange, results);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
