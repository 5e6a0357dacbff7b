package io.spotlight.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SweepsTest {

    private static List<List<String>> overridesOf(List<SweepJob> jobs) {
        return jobs.stream().map(SweepJob::overrides).collect(Collectors.toList());
    }

    @Test
    void cartesianProductInGivenOrderWithTheLastKeyFastest() {
        List<SweepJob> jobs = Sweeps.expand(List.of("optimizer.lr=0.1,0.01", "seed=1", "guidance=none,gradcam"));
        assertEquals(List.of(
                List.of("optimizer.lr=0.1", "seed=1", "guidance=none"),
                List.of("optimizer.lr=0.1", "seed=1", "guidance=gradcam"),
                List.of("optimizer.lr=0.01", "seed=1", "guidance=none"),
                List.of("optimizer.lr=0.01", "seed=1", "guidance=gradcam")), overridesOf(jobs));
        assertEquals(List.of(0, 1, 2, 3), jobs.stream().map(SweepJob::index).collect(Collectors.toList()));
        assertEquals("optimizer.lr=0.1,guidance=none", jobs.get(0).name());
        assertEquals("3_optimizer.lr=0.01,guidance=gradcam", jobs.get(3).dirName());
    }

    @Test
    void productSizeIsTheProductOfTheListSizes() {
        assertEquals(2 * 3 * 4, Sweeps.expand(List.of("a=1,2", "b=x,y,z", "c=range(4)")).size());
    }

    @Test
    void rangeIsLikePythonsRange() {
        assertEquals(List.of(List.of("seed=1"), List.of("seed=2"), List.of("seed=3")),
                overridesOf(Sweeps.expand(List.of("seed=range(1,4)"))));
        assertEquals(List.of(List.of("seed=0"), List.of("seed=1")), overridesOf(Sweeps.expand(List.of("seed=range(2)"))));
        assertEquals(List.of(List.of("seed=10"), List.of("seed=5")),
                overridesOf(Sweeps.expand(List.of("seed=range(10, 0, -5)"))));
    }

    @Test
    void quotedValuesListsAndInterpolationsAreNotSplit() {
        List<String> single = List.of("tag=\"a,b\"", "note='x,y'", "model.channels=[16,32]", "+t=${a}");
        List<SweepJob> jobs = Sweeps.expand(single);
        assertEquals(List.of(single), overridesOf(jobs));
        assertEquals("", jobs.get(0).name());
        assertEquals("0", jobs.get(0).dirName());
        assertEquals(List.of(List.of("tag=\"a,b\""), List.of("tag=c")), overridesOf(Sweeps.expand(List.of("tag=\"a,b\",c"))));
    }

    @Test
    void interpolationsCanBeSweptLikeAnyValue() {
        assertEquals(List.of(List.of("+t=${a}"), List.of("+t=${b}")), overridesOf(Sweeps.expand(List.of("+t=${a},${b}"))));
    }

    @Test
    void prefixesAndDeletionsAreKept() {
        assertEquals(List.of(List.of("~model.dropout", "+extra=1"), List.of("~model.dropout", "+extra=2")),
                overridesOf(Sweeps.expand(List.of("~model.dropout", "+extra=1,2"))));
    }

    @Test
    void emptySweepsAreErrorsNamingTheKey() {
        for (String empty : List.of("optimizer.lr=", "optimizer.lr=,", "optimizer.lr=0.1,,0.2", "optimizer.lr=range(4,1)")) {
            String message = assertThrows(SpotlightConfigError.class, () -> Sweeps.expand(List.of("seed=1", empty)),
                    empty).getMessage();
            assertTrue(message.contains("empty sweep for 'optimizer.lr'"), message);
        }
    }

    @Test
    void jobNamesAreSafeDirectoryNames() {
        List<SweepJob> jobs = Sweeps.expand(List.of("dataset.root=/data/a b,\"x:y\""));
        assertEquals("dataset.root=_data_a_b", jobs.get(0).name());
        assertEquals("dataset.root=_x_y_", jobs.get(1).name());
        assertEquals("dataset.root=/data/a b", jobs.get(0).overrides().get(0), "the override itself is untouched");
    }

    @Test
    void everyJobComposes() {
        List<SweepJob> jobs = Sweeps.expand(List.of("optimizer.lr=0.1,0.01", "guidance=none,gradcam"));
        List<String> seen = jobs.stream()
                .map(job -> Fixtures.compose(Fixtures.train(), job.overrides().toArray(String[]::new)).config())
                .map(c -> c.getDouble("optimizer.lr") + "/" + c.getString("guidance.method"))
                .collect(Collectors.toList());
        assertEquals(List.of("0.1/none", "0.1/gradcam", "0.01/none", "0.01/gradcam"), seen);
    }
}
