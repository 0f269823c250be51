#!/usr/bin/env python3
"""Makes TorchScript modules the way PyTorch users do, and checks Trainscope's with PyTorch.

Usage:
  torch_models.py make OUTDIR
      writes, for inputs of 32 features and 10 classes (fixed seeds):
        net.pt            torch.jit.script of a module with a "backbone" (Linear 32-64, ReLU)
                          and a "head" (Linear 64-10): the transfer-learning shape;
        traced.pt         torch.jit.trace of a Sequential (Linear 32-32, Tanh, Linear 32-10);
        three_classes.pt  a scripted module with 3 outputs (a contract mismatch);
        wide_input.pt     a scripted module taking 16 features (a batch it cannot take).
  torch_models.py logits MODEL INPUT.f32 D1,D2,... OUT.f32
      loads MODEL with torch.jit.load, in eval mode, and writes its logits for the float32
      input of that shape as float32.
  torch_models.py mnist-loss MODEL IDXDIR N
      prints "loss=L accuracy=A": MODEL's mean cross-entropy and accuracy on the first N
      Fashion-MNIST test images (pixels / 255), as Trainscope validates.
Exits 77 (a skipped test) where torch cannot be imported.
"""
import gzip
import sys

try:
    import torch
except ImportError:
    print("torch_models.py: no torch in this Python", file=sys.stderr)
    sys.exit(77)


class Net(torch.nn.Module):
    def __init__(self, inputs=32, classes=10):
        super().__init__()
        self.backbone = torch.nn.Sequential(torch.nn.Linear(inputs, 64), torch.nn.ReLU())
        self.head = torch.nn.Linear(64, classes)

    def forward(self, x):
        return self.head(self.backbone(x))


def make(out):
    torch.manual_seed(0)
    torch.jit.save(torch.jit.script(Net()), f"{out}/net.pt")
    seq = torch.nn.Sequential(torch.nn.Linear(32, 32), torch.nn.Tanh(), torch.nn.Linear(32, 10))
    torch.jit.save(torch.jit.trace(seq, torch.randn(4, 32)), f"{out}/traced.pt")
    torch.jit.save(torch.jit.script(Net(classes=3)), f"{out}/three_classes.pt")
    torch.jit.save(torch.jit.script(Net(inputs=16)), f"{out}/wide_input.pt")


def logits(model, input_path, shape, out_path):
    m = torch.jit.load(model)
    m.eval()
    dims = [int(d) for d in shape.split(",")]
    with open(input_path, "rb") as f:
        x = torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape(dims)
    with torch.no_grad():
        y = m(x).to(torch.float32).contiguous()
    with open(out_path, "wb") as f:
        f.write(y.numpy().tobytes())


def mnist_loss(model, idx_dir, n):
    with gzip.open(f"{idx_dir}/t10k-images-idx3-ubyte.gz") as f:
        images = f.read()[16:]
    with gzip.open(f"{idx_dir}/t10k-labels-idx1-ubyte.gz") as f:
        labels = f.read()[8:]
    x = torch.frombuffer(bytearray(images[: n * 784]), dtype=torch.uint8)
    x = x.to(torch.float32).reshape(n, 1, 28, 28) / 255
    y = torch.frombuffer(bytearray(labels[:n]), dtype=torch.uint8).to(torch.int64)
    m = torch.jit.load(model)
    m.eval()
    with torch.no_grad():
        out = m(x)
        loss = torch.nn.functional.cross_entropy(out, y).item()
        accuracy = (out.argmax(1) == y).to(torch.float64).mean().item()
    print(f"loss={loss:.9g} accuracy={accuracy:.9g}")


def main():
    torch.set_num_threads(1)
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    elif len(sys.argv) == 6 and sys.argv[1] == "logits":
        logits(*sys.argv[2:])
    elif len(sys.argv) == 5 and sys.argv[1] == "mnist-loss":
        mnist_loss(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
