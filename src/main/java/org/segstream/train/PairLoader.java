package org.segstream.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.segstream.dataset.Example;
import org.segstream.dataset.PairLayout;
import org.segstream.dataset.SkippedPairException;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.image.Resampling;
import org.segstream.image.RgbImage;
import org.segstream.model.InputGeometry;

/** Reads a folder dataset's pairs in parallel and sizes each for {@link FolderData}: as stored for training and at its input size. */
final class PairLoader {
  private PairLoader() {}

  /** A pair as stored for training (larger when augmenting: crops come from it) and at the model's input size. */
  record Loaded(Example stored, Example atInput) {}

  /** The long side training pairs are stored at. */
  static int storeLongSide(FolderData.Settings settings) {
    int input = settings.inputLongSide() > 0 ? settings.inputLongSide() : Math.max(settings.width(), settings.height());
    return settings.augment() ? (int) Math.round(input * FolderData.STORE_SCALE) : input;
  }

  /** One pair read, at its input size and as stored for training. */
  private static Loaded loadPair(Example full, FolderData.Settings settings) {
    InputGeometry.Size input = settings.geometry().sizeFor(full.image().width(), full.image().height());
    Example atInput = resized(full, input.width(), input.height());
    int storeW;
    int storeH;
    if (settings.inputLongSide() > 0) {
      double scale = (double) storeLongSide(settings) / Math.max(full.image().width(), full.image().height());
      storeW = Math.max(1, (int) Math.round(full.image().width() * scale));
      storeH = Math.max(1, (int) Math.round(full.image().height() * scale));
    } else {
      storeW = settings.augment() ? (int) Math.round(settings.width() * FolderData.STORE_SCALE) : settings.width();
      storeH = settings.augment() ? (int) Math.round(settings.height() * FolderData.STORE_SCALE) : settings.height();
    }
    Example stored = storeW == atInput.image().width() && storeH == atInput.image().height() ? atInput
        : resized(full, storeW, storeH);
    return new Loaded(stored, atInput);
  }

  /**
   * Reads and resizes every named pair on {@code loadThreads} threads: by name, in the given order, a
   * {@link Loaded} pair or the {@link Skipped} reason.
   */
  static Map<String, Object> readAll(PairLayout layout, List<String> names, FolderData.Settings settings) {
    Map<String, Object> results = new LinkedHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, settings.loadThreads()));
    try {
      Map<String, Future<Object>> futures = new LinkedHashMap<>();
      for (String name : names) {
        futures.put(name, pool.submit(() -> {
          try {
            return loadPair(layout.read(name), settings);
          } catch (SkippedPairException e) {
            return new FolderData.Skipped(name, e.getMessage());
          }
        }));
      }
      for (Map.Entry<String, Future<Object>> f : futures.entrySet()) {
        results.put(f.getKey(), f.getValue().get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading " + layout.root(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot load " + layout.root() + ": " + e.getCause().getMessage(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return results;
  }

  /** The image stretched bilinearly, the labels by nearest neighbour: as the processor resizes frames. */
  static Example resized(Example e, int width, int height) {
    RgbImage image = ImageCodec.resizeBilinear(e.image(), width, height);
    LabelMap labels = Resampling.nearest(e.truth(), width, height);
    return new Example(e.name(), image, labels);
  }

}
