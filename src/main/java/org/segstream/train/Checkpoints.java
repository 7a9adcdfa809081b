package org.segstream.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.segstream.config.InvalidSettingException;

/**
 * Training checkpoints in one directory: {@code step-<N>/} holds every variable of the training
 * graph (weights, batch-norm statistics, Adam's slots) and {@code state.json} (step count, training
 * seconds, the settings a resume must match). A checkpoint appears by rename, complete or not at
 * all; older ones are removed once a newer one exists.
 */
final class Checkpoints {
  static final String STATE = "state.json";
  static final String PREFIX = "step-";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Where a run stands, and what it was: a resume refuses a checkpoint of another model shape.
   *
   * @param step optimiser steps done
   * @param seconds training wall-clock seconds spent so far, across sittings
   * @param inputRule how frames were sized ({@code InputGeometry.describe()}); null in checkpoints written before
   *     aspect-true training, which were all stretched
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  record State(int step, double seconds, String architecture, int inputWidth, int inputHeight, int classes,
      int batchSize, String dataset, String inputRule) {
    /** How frames were sized: an old checkpoint without a rule was stretched to its input size. */
    String sizing() {
      return inputRule != null ? inputRule : inputWidth + "x" + inputHeight + " (stretched)";
    }
  }

  private final Path dir;

  Checkpoints(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  void save(TrainingGraph graph, State state) {
    try {
      Files.createDirectories(dir);
      Path temp = Files.createTempDirectory(dir, ".writing-");
      graph.save(temp.resolve("ckpt"));
      MAPPER.writerWithDefaultPrettyPrinter().writeValue(temp.resolve(STATE).toFile(), state);
      Path target = dir.resolve(String.format("%s%09d", PREFIX, state.step()));
      if (Files.exists(target)) {
        deleteRecursively(target);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      for (Path old : list()) {
        if (!old.equals(target)) {
          deleteRecursively(old);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a checkpoint to " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The newest complete checkpoint's state, if any. */
  Optional<State> latest() {
    List<Path> all = list();
    if (all.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(MAPPER.readValue(all.get(all.size() - 1).resolve(STATE).toFile(), State.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + all.get(all.size() - 1).resolve(STATE) + ": " + e.getMessage(), e);
    }
  }

  /** Restores the newest checkpoint into the graph after checking it fits {@code expected}; returns its state. */
  State restoreLatest(TrainingGraph graph, State expected) {
    State state = latest().orElseThrow(() -> new InvalidSettingException("resume", "cannot resume: no checkpoint in "
        + dir + ": start afresh, or name the interrupted run's checkpoint directory"));
    if (!state.architecture().equals(expected.architecture()) || state.inputWidth() != expected.inputWidth()
        || state.inputHeight() != expected.inputHeight() || state.classes() != expected.classes()
        || state.batchSize() != expected.batchSize() || !state.sizing().equals(expected.sizing())) {
      throw new InvalidSettingException("resume", "cannot resume: the checkpoint in " + dir + " is " + state.architecture() + " at "
          + state.sizing() + ", " + state.classes() + " classes, batch "
          + state.batchSize() + "; this run asks for " + expected.architecture() + " at " + expected.sizing() + ", "
          + expected.classes() + " classes, batch " + expected.batchSize()
          + ": pass the same settings as the interrupted run");
    }
    List<Path> all = list();
    graph.restore(all.get(all.size() - 1).resolve("ckpt"));
    return state;
  }

  private List<Path> list() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.filter(p -> p.getFileName().toString().startsWith(PREFIX))
          .filter(p -> Files.isRegularFile(p.resolve(STATE)))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
