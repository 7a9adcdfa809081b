package org.segstream.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.TestInstance;
import org.segstream.dataset.Example;
import org.segstream.dataset.PairLayout;
import org.segstream.testing.SharedData;

/** Training data preloaded from the real 922 Oxford-IIIT Pet pairs of ../shared/data/oxford-pets, and a short real training run. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OxfordPetsDataTest {
  private static final int SIZE = 64;
  private PairLayout layout;
  private FolderData data;

  @BeforeAll
  void load() {
    layout = PairLayout.open(SharedData.path("oxford-pets"));
    data = FolderData.load(layout, new FolderData.Settings(SIZE, SIZE, 138, 0, 1337, 1337, true, false, 2));
  }

  @Test
  void findsEveryPairAndSkipsNone() {
    assertEquals("oxford-iiit-pet", layout.dataset());
    assertEquals(922, layout.names().size());
    assertEquals(List.of(), data.skipped());
    assertEquals(922 - 138, data.pairCount());
    assertEquals(138, data.validation(SIZE, SIZE).size());
    assertEquals(37, data.breedCount());
  }

  @Test
  void validationIsTheLastNamesOfTheSeededShuffle() {
    List<String> names = new ArrayList<>(layout.names());
    Collections.sort(names);
    Collections.shuffle(names, new Random(1337));
    List<String> expected = names.subList(names.size() - 138, names.size());
    assertEquals(expected, data.validation(SIZE, SIZE).stream().map(Example::name).toList());
    for (Example e : data.validation(SIZE, SIZE)) {
      assertEquals(SIZE, e.image().width());
      assertEquals(SIZE, e.truth().height());
    }
  }

  @Test
  void theTrainingStreamIsAFunctionOfItsPosition() {
    List<Example> first = new ArrayList<>();
    data.skipTo(100);
    for (int i = 0; i < 3; i++) {
      first.add(data.next(SIZE, SIZE));
    }
    data.skipTo(101);
    Example again = data.next(SIZE, SIZE);
    assertEquals(first.get(1).name(), again.name());
    assertTrue(java.util.Arrays.equals(first.get(1).image().rgb(), again.image().rgb()));
    assertTrue(java.util.Arrays.equals(first.get(1).truth().labels(), again.truth().labels()));
  }

  @ParameterizedTest
  @EnumSource(value = Architecture.class, names = {"UNET_SMALL", "UNET_XCEPTION"})
  void aFewStepsOnRealPetsLowerTheLoss(Architecture architecture) {
    List<Float> losses = new ArrayList<>();
    data.skipTo(0);
    try (TrainingGraph graph = new TrainingGraph(architecture, 3, Loss.CE, 0.9f, 3, 2)) {
      for (int step = 1; step <= 40; step++) {
        List<Example> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          batch.add(data.next(SIZE, SIZE));
        }
        losses.add(graph.step(Batch.of(batch), 0.01f, step));
      }
    }
    double first = losses.subList(0, 5).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    double last = losses.subList(35, 40).stream().mapToDouble(Float::doubleValue).average().orElseThrow();
    assertTrue(last < 0.85 * first, architecture + ": loss " + first + " -> " + last);
  }
}
