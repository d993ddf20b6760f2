"""The Unitree G1 humanoid on MJX.

So far the helper modules of the G1 tasks:

- `gait`: the two feet's gait phase (`initial_gait_phase`, `advance_gait_phase`,
  `gait_phase_observation`) and the desired swing height of a foot (`desired_foot_height`);
- `randomize`: domain randomisation of an MJX model (friction, joint friction loss,
  armature, body masses and the torso's mass) and noise on actions and observations.

The tasks themselves (`AbstractG1Env`, `G1EnvState`, `G1Locomotion`, `G1Standing`,
`G1Standup`) are not written yet.
"""

from . import gait as gait, randomize as randomize
