package org.segstream.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.segstream.metrics.IdentityAccumulator;
import org.segstream.metrics.IdentityScores;
import org.segstream.metrics.ObjectBox;
import org.segstream.synth.SyntheticScenes;
import org.segstream.synth.TrackingClip;

/** The tracker on the exact class truth of the synthetic tracking scenes, scored against their true object ids. */
class TrackingScenesTest {
  @ParameterizedTest
  @EnumSource(TrackingClip.Scene.class)
  void onExactMasksIdsNeverSwitchAndFollowEachObject(TrackingClip.Scene scene) {
    TrackingClip clip = new TrackingClip(scene, 11, 320, 180);
    StreamTrackers trackers = new StreamTrackers(new TrackerSettings(SyntheticScenes.BACKGROUND_CLASS, 16, 30, 4));
    IdentityAccumulator acc = new IdentityAccumulator();
    boolean truthTwoAtOnce = false;
    boolean predictedOneForTwo = false;
    for (int f = 0; f < clip.frameCount(); f++) {
      TrackingClip.Frame frame = clip.frame(f);
      List<TrackedInstance> got = trackers.update("clip", f, false, frame.labelled().truth(), List.of());
      List<ObjectBox> predicted = new ArrayList<>();
      for (TrackedInstance i : got) {
        predicted.add(new ObjectBox(i.id(), i.x(), i.y(), i.width(), i.height()));
      }
      List<ObjectBox> truth = ObjectBox.of(frame.objectIds());
      truthTwoAtOnce |= truth.size() == 2;
      predictedOneForTwo |= truth.size() == 2 && predicted.size() == 1;
      acc.add(truth, predicted);
    }
    IdentityScores s = acc.result();
    assertTrue(truthTwoAtOnce, scene + " shows two objects at once");
    if (clip.crossings() > 0) {
      assertTrue(predictedOneForTwo, scene + ": the objects meet and are one component for a while");
    }
    assertEquals(0, s.idSwitches(), scene + ": " + s);
    // where two objects touch they are one component: one of them is missed for those frames (a crossing: ~12 of 90)
    assertTrue(s.idf1() > 0.85, scene + ": " + s);
  }
}
