// The README's embedding example, built against the installed package by PackageTest.
#include "hotjit/engine/Engine.h"

#include <cstdio>

int main() {
  auto Jit = llvm::cantFail(hotjit::Engine::create());
  llvm::cantFail(Jit->add("price", hotjit::ModuleSource::fromIR(R"(
    define double @price(double %x) { %r = fmul double %x, 1.25
                                      ret double %r })")));
  auto Price = llvm::cantFail(Jit->lookup<double(double)>("price")); // typed, signature-checked
  double A = Price(8.0);                                            // 10.0, pinned for the call

  // Meanwhile, on any thread: replace it. Callers switch at their next call.
  llvm::cantFail(Jit->replace("price", hotjit::ModuleSource::fromIR(R"(
    define double @price(double %x) { %r = fmul double %x, 1.5
                                      ret double %r })")));
  double B = Price(8.0);                                            // 12.0, same stub address

  std::printf("price(8.0) = %g, then %g\n", A, B);
  return A == 10.0 && B == 12.0 ? 0 : 1;
}
