"""Synthetic webcam frames of QR codes, under the capture conditions a checkpoint kiosk meets.

The station's read strategy is measured and tuned on these frames, so they model what a 720p USB
webcam really records when someone holds up a phone, a printout or an ID card. Every range
below comes from the optics and the use, not from what any decoder happens to like. Every
frame stays readable in principle: the whole symbol and at least 1.5 modules of quiet zone are
in the frame, glare never covers a finder pattern, and blur is capped so that single modules
keep at least 25 % contrast (the product of the lens, defocus and smear MTFs at alternating
single modules); beyond that neighbouring modules merge and no reader could recover the code.

Camera model (every condition)
  * Pinhole camera, 1280×720, horizontal field of view 48–70° (a C270-class webcam is about 48°,
    a C920 in 720p mode about 70°), so the focal length is 910–1440 px.
  * The code is held 15–45 cm from the lens (an ID card, whose code is only 14–18 mm wide,
    8–25 cm): the user stands 20–60 cm away and brings the code closer. The distance is then
    limited to where the code fits in the frame and its modules are at least 2.5 px apart
    (3 px for "clean"): people move the code closer until the kiosk beeps, and a 720p
    webcam's real resolution (Bayer mosaic, MJPEG) resolves little finer. Frames of codes
    held too far away are the "small" condition.
  * Hand-held pose: tilt 0–15° about a random axis, in-plane rotation ±15° (±25° for paper).
  * Lens and demosaicing softness: Gaussian sigma 0.5–0.95 px (MTF50 of 0.2–0.35 cycles/px,
    typical of 720p webcams). Half the frames come from a fixed-focus lens, sharp from about
    40 cm, so a code held closer is defocused by up to 0.3 module pitches; hand tremor during a
    1/30 s exposure smears up to 0.3 pitches.
  * Vignetting 10–35 % at the corners, an illumination gradient up to 25 %, white balance
    within ±7 % per channel, exposure 0.75–1.1 (at 1, white paper reads about 238 of 255).
  * Sensor noise in linear light: variance = 1e-4…4e-4 · signal + (0.001…0.003)², plus
    low-frequency chroma noise; a gamma 2.0–2.4 tone curve with a small toe; half the frames
    go through the webcam's own MJPEG encoder at quality 75–92.
  * Carriers: a phone (68–78 × 145–163 mm, code 38–55 mm, quiet zone 2–4 modules, light or
    dark app theme, screen 0.7–1.3× as bright as white paper, so often clipped), a printout
    (code 40–70 mm, ink at 4–9 % of the paper's reflectance, a soft hand shadow on a quarter
    of them) or an ID card (code 14–18 mm in the corner of an 85.6 × 54 mm card). Hands hold
    most of them; the surround is a wall and the person, a desk, or (phone_screen) darkness.

Modules, in the order a frame is made
  frames        `synth_frame`, `synth_frame_with_truth`, `synth_set`: the entry points
  conditions    the named conditions and the draw of a scene for one of them
  nuisances     the everyday variation above, drawn for every frame
  scene         the record of every drawn parameter
  payload       the text's credential family and QR modules
  geometry, readability   the pose and distance, and the blur bound
  carrier_parts, phone, printed, canvas   the carriers, drawn in millimetres and rasterised
  render, room, warp, lighting, optics, sensor   radiance, lens and sensor
  samples       realistic payloads of every family
  demo          a demo camera feed as images or a video
"""
