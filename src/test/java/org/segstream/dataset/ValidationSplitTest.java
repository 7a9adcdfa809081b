package org.segstream.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segstream.config.InvalidSettingException;

class ValidationSplitTest {
  private static final List<String> NAMES = IntStream.range(0, 20).mapToObj(i -> "pair_" + i).toList();

  @Test
  void validationIsTheLastNamesOfTheSortedThenSeededShuffle() {
    List<String> shuffledInput = new ArrayList<>(NAMES);
    Collections.shuffle(shuffledInput, new Random(99)); // the input order does not matter: names are sorted first
    ValidationSplit split = ValidationSplit.of(shuffledInput, 3, 0, 1337);
    List<String> expected = new ArrayList<>(NAMES);
    Collections.sort(expected);
    Collections.shuffle(expected, new Random(1337));
    assertEquals(expected.subList(17, 20), split.validation());
    assertEquals(expected.subList(0, 17), split.training());
    assertEquals(split, ValidationSplit.of(NAMES, 3, 0, 1337), "the same names and seed give the same split");
  }

  @ParameterizedTest(name = "count {0}, fraction {1} of 20 -> {2}")
  @CsvSource({"0, 0.15, 3", "0, 0.5, 10", "5, 0.15, 5", "0, 0.04, 1"})
  void theCountOrElseTheRoundedFraction(int count, double fraction, int expected) {
    assertEquals(expected, ValidationSplit.of(NAMES, count, fraction, 1).validation().size());
  }

  @ParameterizedTest(name = "count {0}, fraction {1} of 20")
  @CsvSource({"20, 0", "25, 0", "0, 0.01"})
  void aSplitThatLeavesNothingOnOneSideIsAUsageError(int count, double fraction) {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, () -> ValidationSplit.of(NAMES, count, fraction, 1));
    assertTrue(e.getMessage().contains("leaves no training or no validation pairs among 20"), e.getMessage());
  }

  @Test
  void selectFindsTheRecordedNamesWithOrWithoutExtension() {
    List<Pair> pairs = List.of(pair("a", "a.jpg"), pair("b", "b.png"), pair("c", "c.jpg"), pair("d", "d.jpg"));
    assertEquals(List.of(pairs.get(0), pairs.get(1), pairs.get(3)),
        ValidationSplit.select(pairs, List.of("d", "b.png", "a.jpg", "elsewhere"), Path.of("set")));
    assertEquals(List.of(pairs.get(1)), ValidationSplit.select(pairs, List.of("b.jpg"), Path.of("set")),
        "a name with another extension is matched by its base name");
    InvalidSettingException none = assertThrows(InvalidSettingException.class,
        () -> ValidationSplit.select(pairs, List.of("x", "y"), Path.of("set")));
    assertTrue(none.getMessage().contains("none of the model's 2 validation names is in set"), none.getMessage());
    assertEquals("split", none.setting(), "names the setting that scores every pair instead");
  }

  private static Pair pair(String name, String image) {
    return new Pair(name, Path.of("set/images", image), Path.of("set/masks", name + ".png"));
  }
}
