class SpotlightGrad(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  def forward(self: __torch__.SpotlightGrad,
    outputs: List[Tensor],
    inputs: List[Tensor],
    groups: List[int],
    create_graph: bool) -> Tuple[List[Tensor], List[bool]]:
    grads = annotate(List[Tensor], [])
    used = annotate(List[bool], [])
    start = 0
    for i in range(torch.len(outputs)):
      stop = start + groups[i]
      xs = inputs[start:stop]
      gs = torch.autograd.grad([outputs[i]], xs, None, True, create_graph, True)
      for j in range(torch.len(gs)):
        g = gs[j]
        if g is None:
          grads.append(torch.zeros_like(xs[j]))
          used.append(False)
        else:
          grads.append(unchecked_cast(Tensor, g))
          used.append(True)
      start = stop
    return (grads, used)
  def accumulate(self: __torch__.SpotlightGrad,
    roots: List[Tensor],
    grads: List[Tensor]) -> bool:
    optional = annotate(List[Optional[Tensor]], [])
    for j in range(torch.len(grads)):
      optional.append(grads[j])
    torch.autograd.backward(roots, optional, None, False)
    return True
