package org.segstream.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.segstream.config.InvalidSettingException;

/**
 * The held-out pairs of a dataset (DESIGN.md "Validation split"): the usable pair names sorted, shuffled with
 * {@code new Random(seed)}, the last N are validation. Training writes the validation names into the model's
 * metadata and {@link #select} finds exactly those pairs again for evaluation.
 *
 * @param training the other names, in the shuffled order
 * @param validation the last N names of the shuffled order
 */
public record ValidationSplit(List<String> training, List<String> validation) {

  public ValidationSplit {
    training = List.copyOf(training);
    validation = List.copyOf(validation);
  }

  /**
   * @param count held-out names; if 0, {@code fraction} of the names, rounded
   * @throws InvalidSettingException when the split leaves no training or no validation names
   */
  public static ValidationSplit of(Collection<String> usable, int count, double fraction, long seed) {
    List<String> order = new ArrayList<>(usable);
    Collections.sort(order);
    Collections.shuffle(order, new Random(seed));
    int validationCount = count > 0 ? count : (int) Math.round(fraction * order.size());
    if (validationCount < 1 || validationCount >= order.size()) {
      throw new InvalidSettingException(count > 0 ? "validation-count" : "validation-fraction", "a validation split of "
          + validationCount + " leaves no training or no validation pairs among " + order.size() + " usable pairs: "
          + "hold out fewer pairs (a smaller validation count or fraction)");
    }
    int cut = order.size() - validationCount;
    return new ValidationSplit(order.subList(0, cut), order.subList(cut, order.size()));
  }

  /**
   * The pairs named in {@code names} (a model's validation names: file names with or without extension), in the
   * order of {@code pairs}.
   *
   * @param root the dataset's folder, for the message
   * @throws InvalidSettingException when none of the names is among the pairs (the split setting)
   */
  public static List<Pair> select(List<Pair> pairs, Collection<String> names, Path root) {
    Set<String> wanted = new HashSet<>();
    for (String n : names) {
      wanted.add(n);
      int dot = n.lastIndexOf('.');
      if (dot > 0) {
        wanted.add(n.substring(0, dot));
      }
    }
    List<Pair> out = pairs.stream()
        .filter(p -> wanted.contains(p.name()) || wanted.contains(p.image().getFileName().toString()))
        .toList();
    if (out.isEmpty()) {
      throw new InvalidSettingException("split", "none of the model's " + names.size() + " validation names is in "
          + root + ": was the model trained on another dataset? score all pairs instead");
    }
    return out;
  }
}
