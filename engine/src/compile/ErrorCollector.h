// Errors that LLVM reports through an LLVMContext's diagnostic handler (module or inline assembly
// that does not assemble, for one): without a handler LLVM prints them and ends the process.
#ifndef HOTJIT_ENGINE_SRC_COMPILE_ERRORCOLLECTOR_H
#define HOTJIT_ENGINE_SRC_COMPILE_ERRORCOLLECTOR_H

#include "llvm/IR/DiagnosticHandler.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/DiagnosticPrinter.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace hotjit {

/// A context's diagnostic handler that collects the text of its errors in Errors ("; " between
/// them). Other diagnostics are dropped, or, with \p PrintOthers, left to LLVM's printer.
/// Not thread-safe: one per context, as the context is.
class ErrorCollector : public llvm::DiagnosticHandler {
public:
  explicit ErrorCollector(bool PrintOthers = false) : PrintOthers(PrintOthers) {}

  bool handleDiagnostics(const llvm::DiagnosticInfo &DI) override {
    if (DI.getSeverity() != llvm::DS_Error)
      return !PrintOthers;
    llvm::raw_string_ostream OS(Errors);
    if (!Errors.empty())
      OS << "; ";
    llvm::DiagnosticPrinterRawOStream Printer(OS);
    DI.print(Printer);
    return true;
  }

  std::string Errors;

private:
  const bool PrintOthers;
};

} // namespace hotjit

#endif // HOTJIT_ENGINE_SRC_COMPILE_ERRORCOLLECTOR_H
