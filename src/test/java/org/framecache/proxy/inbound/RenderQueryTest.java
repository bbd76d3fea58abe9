package org.framecache.proxy.inbound;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;

import org.framecache.proxy.http.ProxyException;
import org.framecache.proxy.image.RenderParameters.IccProfile;
import org.framecache.proxy.image.RenderParameters.Interpolation;
import org.framecache.proxy.image.RenderParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rendered query parameters: defaults, the reference proxy's spellings, ranges, and one cache key per wish. */
class RenderQueryTest {

    private static RenderParameters parse(String... pairs) {
        Map<String, String> query = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            query.put(pairs[i], pairs[i + 1]);
        }
        return RenderQuery.parse(query);
    }

    @Test
    void defaultsAreTheReferenceProxys() {
        RenderParameters p = parse();
        assertEquals(95, p.quality());
        assertEquals(1, p.downsample());
        assertEquals(Interpolation.AREA, p.interpolation());
        assertNull(p.viewport());
        assertEquals(IccProfile.NO, p.iccProfile());
        assertTrue(p.embedIccProfile());
    }

    @Test
    void valuesAreTrimmedAndCaseInsensitive() {
        RenderParameters p = parse("Quality", " 1 ", "DOWNSAMPLE", "4.0", "interpolation", "Lanczos4", "iccprofile", "SRGB",
                "embed_iccprofile", " false ", "viewport", "100, 50,10,20,-30,40");
        assertEquals(1, p.quality());
        assertEquals(4, p.downsample());
        assertEquals(Interpolation.LANCZOS4, p.interpolation());
        assertEquals(IccProfile.SRGB, p.iccProfile());
        assertEquals(false, p.embedIccProfile());
        assertEquals(new RenderParameters.Viewport(100, 50, true, 10, 20, -30, 40), p.viewport());
    }

    @ParameterizedTest
    @ValueSource(strings = {"quality=0", "quality=101", "quality=", "downsample=0", "downsample=0.5", "downsample=2.5",
            "downsample=NaN", "downsample=1025", "interpolation=bicubic", "viewport=0,10", "viewport=1,2,3",
            "viewport=10,10,-1,0,5,5", "viewport=10,10,0,0,0,5", "viewport=99999,10", "iccprofile=rommrgb",
            "embed_iccprofile=2"})
    void invalidValuesAre400(String pair) {
        String[] nameValue = pair.split("=", -1);
        ProxyException e = assertThrows(ProxyException.class, () -> parse(nameValue[0], nameValue[1]));
        assertEquals(400, e.getStatus());
        assertTrue(e.getMessage().startsWith(nameValue[0]), e.getMessage());
    }

    @Test
    void everySpellingOfOneWishHasOneKey() {
        String a = RenderQuery.canonical(parse("quality", "95", "embed_iccprofile", "yes"), "image/jpeg");
        String b = RenderQuery.canonical(parse("QUALITY", " 95", "EMBED_ICCPROFILE", "true", "annotation", "x"), "image/jpeg");
        assertEquals(a, b);
        assertEquals(RenderQuery.canonical(parse("quality", "10"), "image/png"), RenderQuery.canonical(parse(), "image/png"),
                "PNG ignores quality");
        assertTrue(!RenderQuery.canonical(parse("quality", "10"), "image/webp").equals(RenderQuery.canonical(parse(), "image/webp")));
    }

    @Test
    void embeddingIsNoPartOfTheKeyWhenNothingIsEmbedded() {
        assertEquals(RenderQuery.canonical(parse("embed_iccprofile", "no"), "image/jpeg"),
                RenderQuery.canonical(parse("iccprofile", "no", "embed_iccprofile", "yes"), "image/jpeg"),
                "iccprofile=no embeds nothing either way");
        assertTrue(!RenderQuery.canonical(parse("iccprofile", "srgb", "embed_iccprofile", "no"), "image/jpeg")
                .equals(RenderQuery.canonical(parse("iccprofile", "srgb"), "image/jpeg")), "with a profile it matters");
    }

    @Test
    void aViewportRegionThatIsTheWholeFrameIsTheViewportWithoutOne() {
        RenderParameters plain = parse("viewport", "128,64");
        RenderParameters whole = RenderQuery.wholeFrameAsNoRegion(parse("viewport", "128,64,0,0,256,256"), 256, 256);
        assertEquals(RenderQuery.canonical(plain, "image/jpeg"), RenderQuery.canonical(whole, "image/jpeg"));
        assertEquals(plain, whole);
        for (String region : new String[] {"128,64,0,0,256,128", "128,64,1,0,256,256", "128,64,0,0,-256,256"}) {
            RenderParameters p = parse("viewport", region);
            assertTrue(RenderQuery.wholeFrameAsNoRegion(p, 256, 256) == p, region + " is not the whole frame");
        }
        RenderParameters none = parse();
        assertTrue(RenderQuery.wholeFrameAsNoRegion(none, 256, 256) == none);
    }

    @Test
    void theStoreIsAskedOnlyForWhatPs318Names() {
        assertEquals("quality=80&viewport=10,20", RenderQuery.forStore(parse("quality", "80", "viewport", "10,20",
                "iccprofile", "no", "embed_iccprofile", "no")));
        assertEquals("downsample", RenderQuery.storeCannotDo(parse("downsample", "2")));
        assertEquals("iccprofile=srgb", RenderQuery.storeCannotDo(parse("iccprofile", "srgb")));
        assertNull(RenderQuery.storeCannotDo(parse("quality", "50")));
    }
}
