"""Synthetic QR / Data Matrix images and 1280x720 camera frames for tests and benchmarks."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import segno
import zxingcpp

FRAME_W, FRAME_H = 1280, 720
CARD_W, CARD_H = 856, 540  # an ID-1 card (85.6 x 54 mm) at 10 px/mm


def qr_image(text: str, module_px: int = 8, border: int = 4, error: str = "m") -> np.ndarray:
    """A QR code (model 2, never Micro QR) as a gray uint8 image, dark on white."""
    qr = segno.make_qr(text, error=error, boost_error=False)
    matrix = np.array(qr.matrix, dtype=np.uint8)
    image = np.where(matrix > 0, 0, 255).astype(np.uint8)
    image = np.pad(image, border, constant_values=255)
    return np.kron(image, np.ones((module_px, module_px), dtype=np.uint8))


def datamatrix_image(text: str, module_px: int = 8) -> np.ndarray:
    """A Data Matrix (ECC 200) as a gray uint8 image with its quiet zone."""
    symbol = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.DataMatrix)
    image = np.array(zxingcpp.write_barcode_to_image(symbol, scale=module_px), dtype=np.uint8)
    return image


@dataclass(frozen=True)
class Degradation:
    """What was done to one synthetic frame; printed by the benchmark for failures."""

    code_px: int
    angle: float
    tilt: float
    blur: float
    noise: float
    contrast: float
    glare: bool


def background(rng: np.random.Generator) -> np.ndarray:
    """A cluttered room: smooth light gradient, blobs, lines and rectangles (BGR)."""
    xs, ys = np.arange(FRAME_W, dtype=np.float32), np.arange(FRAME_H, dtype=np.float32)
    across = 90 + 60 * np.sin(xs / rng.uniform(150, 600) + rng.uniform(0, 6))
    down = 40 * np.cos(ys / rng.uniform(150, 600))
    base = np.add.outer(down, across)
    frame = np.dstack([base + rng.uniform(-25, 25) for _ in range(3)])
    frame = np.clip(frame, 0, 255).astype(np.uint8)
    for _ in range(int(rng.integers(5, 15))):
        color = tuple(int(c) for c in rng.integers(0, 256, 3))
        p1 = (int(rng.integers(0, FRAME_W)), int(rng.integers(0, FRAME_H)))
        p2 = (int(rng.integers(0, FRAME_W)), int(rng.integers(0, FRAME_H)))
        if rng.random() < 0.5:
            cv2.rectangle(frame, p1, p2, color, -1)
        else:
            cv2.line(frame, p1, p2, color, int(rng.integers(1, 8)))
    return frame


def card(rng: np.random.Generator, code: np.ndarray | None) -> np.ndarray:
    """A white job-centre card with text-like bars and, if given, a code on its right."""
    face = np.full((CARD_H, CARD_W, 3), 245, dtype=np.uint8)
    cv2.rectangle(face, (0, 0), (CARD_W, 70), (140, 60, 20), -1)  # coloured header
    for row in range(6):
        width = int(rng.integers(120, 380))
        y = 120 + row * 60
        cv2.rectangle(face, (40, y), (40 + width, y + 18), (40, 40, 40), -1)
    if code is not None:
        size = CARD_H - 130
        patch = cv2.resize(code, (size, size), interpolation=cv2.INTER_NEAREST)
        x0, y0 = CARD_W - size - 40, 100
        face[y0 : y0 + size, x0 : x0 + size] = patch[..., None]
    return face


def place(
    rng: np.random.Generator,
    frame: np.ndarray,
    face: np.ndarray,
    card_px: int,
    angle: float,
    tilt: float,
) -> np.ndarray:
    """Warp the card into the frame: width ``card_px``, rotated, with perspective ``tilt``."""
    h = card_px * CARD_H / CARD_W
    corners = np.array(
        [
            [-card_px / 2, -h / 2],
            [card_px / 2, -h / 2],
            [card_px / 2, h / 2],
            [-card_px / 2, h / 2],
        ],
        dtype=np.float32,
    )
    corners += rng.uniform(-tilt, tilt, corners.shape).astype(np.float32) * card_px
    rad = np.deg2rad(angle)
    rot = np.array([[np.cos(rad), -np.sin(rad)], [np.sin(rad), np.cos(rad)]], np.float32)
    turned = corners @ rot.T
    low, high = -turned.min(axis=0), np.array([FRAME_W, FRAME_H]) - turned.max(axis=0)
    centre = rng.uniform(low, np.maximum(low, high))  # the whole card in view if it fits
    target = (turned + centre).astype(np.float32)
    source = np.array([[0, 0], [CARD_W, 0], [CARD_W, CARD_H], [0, CARD_H]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    warped = cv2.warpPerspective(face, matrix, (FRAME_W, FRAME_H), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(
        np.full(face.shape[:2], 255, np.uint8), matrix, (FRAME_W, FRAME_H), flags=cv2.INTER_NEAREST
    )
    frame[mask > 0] = warped[mask > 0]
    return target


def degrade(
    rng: np.random.Generator,
    frame: np.ndarray,
    blur: float,
    noise: float,
    contrast: float,
    glare: tuple[float, float] | None,
) -> np.ndarray:
    """Camera faults: low contrast, a glare spot, defocus blur, sensor noise."""
    out = frame.astype(np.float32)
    out = 128 + (out - 128) * contrast + rng.uniform(-20, 20)
    if glare is not None:  # a bright spot where a lamp reflects on the card
        radius = rng.uniform(60, 160)
        xs = np.exp(-(((np.arange(FRAME_W, dtype=np.float32) - glare[0]) / radius) ** 2))
        ys = np.exp(-(((np.arange(FRAME_H, dtype=np.float32) - glare[1]) / radius) ** 2))
        out += rng.uniform(60, 130) * np.outer(ys, xs)[..., None]
    if blur > 0:
        out = cv2.GaussianBlur(out, (0, 0), blur)
    if noise > 0:  # the same noise on all channels: what the gray decoder sees anyway
        grain = np.empty((FRAME_H, FRAME_W), np.float32)
        cv2.setRNGSeed(int(rng.integers(0, 2**31)))
        cv2.randn(grain, 0.0, float(noise))
        out += grain[..., None]
    return np.clip(out, 0, 255).astype(np.uint8)


def random_degradation(rng: np.random.Generator) -> Degradation:
    """The spread of conditions at a kiosk camera (card held by hand, room light)."""
    return Degradation(
        code_px=int(rng.integers(110, 280)),
        angle=float(rng.uniform(0, 360)),
        tilt=float(rng.uniform(0, 0.12)),
        blur=float(rng.choice([0.0, rng.uniform(0.5, 2.0)])),
        noise=float(rng.uniform(0, 14)),
        contrast=float(rng.choice([1.0, rng.uniform(0.35, 0.7)])),
        glare=bool(rng.random() < 0.3),
    )


def card_frame(
    rng: np.random.Generator, payload: str, how: Degradation | None = None
) -> tuple[np.ndarray, Degradation]:
    """A BGR camera frame showing a card whose QR code holds ``payload``."""
    how = how or random_degradation(rng)
    code = qr_image(payload, module_px=4)
    code_share = (CARD_H - 130) / CARD_W  # the code's width as a share of the card's
    frame = background(rng)
    corners = place(rng, frame, card(rng, code), int(how.code_px / code_share), how.angle, how.tilt)
    glare = None
    if how.glare:  # somewhere on the card, often on the code
        low, high = corners.min(axis=0), corners.max(axis=0)
        glare = (float(rng.uniform(low[0], high[0])), float(rng.uniform(low[1], high[1])))
    return degrade(rng, frame, how.blur, how.noise, how.contrast, glare), how


def empty_frame(rng: np.random.Generator) -> np.ndarray:
    """A frame without any code: clutter, a card without code, grids, or sensor noise."""
    choice = rng.integers(0, 4)
    if choice == 3:
        return rng.integers(0, 256, (FRAME_H, FRAME_W, 3), dtype=np.uint8)
    frame = background(rng)
    if choice >= 1:
        place(
            rng,
            frame,
            card(rng, None),
            int(rng.integers(300, 700)),
            float(rng.uniform(0, 360)),
            0.05,
        )
    if choice == 2:  # a checkerboard: square, high-contrast, finder-like structure
        cell = int(rng.integers(6, 30))
        board = (np.indices((12, 12)).sum(axis=0) % 2 * 255).astype(np.uint8)
        board = np.kron(board, np.ones((cell, cell), np.uint8))
        x, y = int(rng.integers(0, FRAME_W - board.shape[1])), int(rng.integers(0, 300))
        frame[y : y + board.shape[0], x : x + board.shape[1]] = board[..., None]
    return degrade(rng, frame, 0.8, 6.0, 1.0, None)


def random_payload(rng: np.random.Generator) -> str:
    """A card payload the kiosk expects: a BG-Nummer, an opaque token, or a URL."""
    serial = "".join(str(d) for d in rng.integers(0, 10, 7))
    office = "".join(str(d) for d in rng.integers(0, 10, 5))
    kind = rng.integers(0, 3)
    if kind == 0:
        return f"{office}BG{serial}"
    if kind == 1:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
        return "JC1:T:" + "".join(alphabet[i] for i in rng.integers(0, 32, 26))
    return f"https://jobcenter.example/k?bg={office}BG{serial}"
