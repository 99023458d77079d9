# settle — build, test, demo, bench.
#
#   make            build/libsettle.a and every program into build/bin/
#   make check      sanitizer build (ASan+UBSan, -Werror, failpoints) and all tests
#   make demo       the money path on the private MariaDB and the loopback sandbox
#   make bench      benchmarks (figures go to BENCHMARKS.md by hand)
#   make deps       install missing Debian packages (as root), else print the command
#   make db-up / db-down   start / stop the private MariaDB under var/
#   make galera-up / galera-down   a 3-node Galera cluster on loopback under var/galera/
#   make galera-check   runners on every node at once vs one server (SETTLE_GALERA=1 adds it to check)
#   make bench-galera   settle-run over 100 k payments: the cluster (1 and 3 runners) vs one server
#   make install    PREFIX=/usr/local DESTDIR= SYSCONFDIR=/etc LOCALSTATEDIR=/var
#   make uninstall  the same variables: removes what install put there
#
# Targets that need libraries (check, demo, bench) first run `make deps` and
# then re-enter make, so pkg-config is asked only after the packages exist.

SHELL := /bin/bash
.DEFAULT_GOAL := all

BUILD ?= build
VARIANT ?= release
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
JOBSDIR ?= $(PREFIX)/lib/settle/jobs
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
LOCALSTATEDIR ?= /var
VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)

DEB_PKGS := gcc make pkg-config curl default-libmysqlclient-dev mariadb-server mariadb-client \
	libcurl4-openssl-dev libxml2-dev libxml2-utils libcsv-dev libssl-dev libcriterion-dev \
	libjansson-dev libmicrohttpd-dev libinih-dev libcjose-dev libjwt-dev scdoc time systemd \
	libxmlsec1-dev libxmlsec1-openssl xmlsec1 wrk

PKGS := mysqlclient libcurl libxml-2.0 xmlsec1-openssl openssl jansson libmicrohttpd cjose libjwt
PKG_CONFIG ?= pkg-config
# Each is computed on first use and then kept (the $(eval) turns the
# variable into a simply expanded one), so pkg-config runs once per make,
# not once per object — and never in a make that compiles nothing, such as
# the `make check` that first runs `make deps` and then re-enters.
PKG_CFLAGS = $(eval PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null))$(PKG_CFLAGS)
PKG_LIBS = $(eval PKG_LIBS := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lcsv -linih)$(PKG_LIBS)
CRIT_CFLAGS = $(eval CRIT_CFLAGS := $(shell $(PKG_CONFIG) --cflags criterion 2>/dev/null))$(CRIT_CFLAGS)
CRIT_LIBS = $(eval CRIT_LIBS := $(shell $(PKG_CONFIG) --libs criterion 2>/dev/null))$(CRIT_LIBS)

CC ?= cc
CSTD := -std=c17 -D_GNU_SOURCE
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	-Wno-format-truncation -Wvla -Wpointer-arith -Wundef -Wwrite-strings -Wimplicit-fallthrough \
	-Wno-format-nonliteral
ifeq ($(VARIANT),check)
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
  WARN += -Werror
  DEFS := -DSETTLE_FAILPOINTS=1
  LDSAN := -fsanitize=address,undefined
else ifeq ($(VARIANT),fuzz)
  # make fuzz: clang, libFuzzer's coverage on every object, its main only
  # in the fuzz binaries (tests/fuzz/README).
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -Wno-unknown-warning-option
  DEFS := -DSETTLE_FUZZER=1
  LDSAN := -fsanitize=fuzzer,address,undefined
else
  OPT := -O2 -g
  DEFS :=
  LDSAN :=
endif
# SETTLE_SCHEMA_DIR, SETTLE_TEMPLATES_DIR: where `make install` puts
# schema/ and templates/, for programs to fall back on (whatever PREFIX).
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) $(DEFS) -DSETTLE_VERSION='"$(VERSION)"' \
	-DSETTLE_SCHEMA_DIR='"$(DATADIR)/settle/schema"' \
	-DSETTLE_TEMPLATES_DIR='"$(DATADIR)/settle/templates"' -Ilibsettle $(PKG_CFLAGS) -MMD -MP $(CFLAGS)
LDFLAGS_ALL = $(LDSAN) $(LDFLAGS)

LIB_SRCS := $(shell find libsettle -name '*.c' | sort)
CMD_SRCS := $(sort $(wildcard cmd/*.c))
SANDBOX_SRCS := $(sort $(wildcard tests/sandbox/*.c))
TEST_SRCS := $(shell find tests -name '*.c' -not -path 'tests/sandbox/*' | sort)
# make fuzz: one libFuzzer binary per target (tests/fuzz/fuzz_<target>.c),
# each linked with the entry points the targets share.
FUZZ_TARGETS := config csv_pods csv_leaders csv_policies bulk_result settlement_file toss_payment \
	nicepay_payment toss_settlements toss_payouts study money timefmt refund_policy rates \
	webhook jwt contacts card_mask
FUZZ_SHARED := fuzz_util fuzz_csv fuzz_pg fuzz_domain fuzz_inbound
FUZZ_SECONDS ?= 60

LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o)
CMD_BINS := $(CMD_SRCS:cmd/%.c=$(BUILD)/bin/%)
SANDBOX_OBJS := $(SANDBOX_SRCS:%.c=$(BUILD)/obj/%.o)
TEST_OBJS := $(TEST_SRCS:%.c=$(BUILD)/obj/%.o)
LIB := $(BUILD)/libsettle.a
SANDBOX := $(BUILD)/bin/settle-sandbox
TESTS := $(BUILD)/tests/settle-tests

# Keep the objects make considers intermediate (cmd/*.o, made by the
# pattern rule that links each program), so a second `make` relinks
# nothing. Only those: a bare .SECONDARY makes every object secondary, and
# a new source file older than the binary it joins was then never compiled.
.SECONDARY: $(CMD_SRCS:cmd/%.c=$(BUILD)/obj/cmd/%.o)

.PHONY: fuzz _fuzz fuzz-deps
.PHONY: all lib programs tests deps check _check demo _demo bench _bench db-up db-down clean install man \
	galera-up galera-down galera-check _galera-check bench-galera _bench-galera \
	install-files install-test uninstall
all: lib programs $(if $(SANDBOX_SRCS),$(SANDBOX))

lib: $(LIB)
programs: $(CMD_BINS)
tests: $(TESTS) $(if $(SANDBOX_SRCS),$(SANDBOX))

# V=1 shows the whole command lines.
Q := $(if $(V),,@)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CFLAGS_ALL) $(CRIT_CFLAGS) -Itests -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	@$(if $(Q),echo "  AR      $@")
	$(Q)ar rcs $@ $^

$(BUILD)/bin/%: $(BUILD)/obj/cmd/%.o $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $< $(LIB) $(PKG_LIBS) -lpthread

$(SANDBOX): $(SANDBOX_OBJS) $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $(SANDBOX_OBJS) $(LIB) $(PKG_LIBS) -lpthread

$(TESTS): $(TEST_OBJS) $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $(TEST_OBJS) $(LIB) $(PKG_LIBS) $(CRIT_LIBS) -lpthread

# ---------------------------------------------------------------- packages
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "deps: installing$$missing" >&2; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	else \
	  echo "deps: missing Debian packages; run: sudo apt-get update && sudo apt-get install -y$$missing" >&2; exit 1; \
	fi

# ---------------------------------------------------------------- database
db-up:
	@scripts/db.sh up
db-down:
	@scripts/db.sh down

# galera.sh installs galera-4, rsync and socat itself (as root), like deps.
galera-up:
	@scripts/galera.sh up
galera-down:
	@scripts/galera.sh down

# ---------------------------------------------------------------- tests
# The sanitizer build lives in build/check so it never mixes with build/.
check: deps
	@$(MAKE) --no-print-directory _check BUILD=build/check VARIANT=check

_check: lib programs tests man install-test
	@scripts/check.sh $(BUILD)
	@if [ "$(SETTLE_GALERA)" = 1 ]; then scripts/galera-check.sh $(BUILD); fi

# The cluster runs the release build: three sanitized runners per phase are
# more than two shared cores carry in the time budget.
galera-check: deps
	@$(MAKE) --no-print-directory _galera-check

_galera-check: all
	@scripts/galera-check.sh $(BUILD)

# ---------------------------------------------------------------- fuzzing
# clang is needed here only, so it is installed here only (not by `make
# deps`, which `make check` runs).
fuzz-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(DEB_PKGS) clang"

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory _fuzz BUILD=build/fuzz VARIANT=fuzz CC=clang

_fuzz: $(FUZZ_TARGETS:%=$(BUILD)/fuzz_%)
	@scripts/fuzz.sh $(BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

$(BUILD)/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(FUZZ_SHARED:%=$(BUILD)/obj/tests/fuzz/%.o) $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS_ALL) -o $@ $(sort $(filter %.o,$^)) $(LIB) $(PKG_LIBS) -lpthread

# ---------------------------------------------------------------- demo, bench
demo: deps
	@$(MAKE) --no-print-directory _demo

_demo: all
	@scripts/demo.sh $(BUILD)

bench: deps
	@$(MAKE) --no-print-directory _bench

_bench: all
	@scripts/bench.sh $(BUILD)

# Not part of `make bench`: it starts the cluster and takes minutes.
bench-galera: deps
	@$(MAKE) --no-print-directory _bench-galera

_bench-galera: all
	@scripts/bench-galera.sh $(BUILD)

# ---------------------------------------------------------------- install
man:
	@mkdir -p $(BUILD)/man
	@for f in man/*.scd; do [ -e "$$f" ] || continue; scdoc < $$f > $(BUILD)/man/$$(basename $${f%.scd}) || exit 1; done

# Job wrappers, units and the tmpfiles.d entry are templates (*.in): the
# paths they name are the installed ones, filled in here from PREFIX,
# SYSCONFDIR and LOCALSTATEDIR (DESTDIR is only where the files are staged,
# never part of a path inside them).
SUBST := sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@JOBSDIR@|$(JOBSDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' \
	-e 's|@LOCALSTATEDIR@|$(LOCALSTATEDIR)|g'
JOB_TEMPLATES := $(sort $(wildcard jobs/*.in))
UNIT_TEMPLATES := $(sort $(wildcard systemd/*.service.in))
TIMERS := $(sort $(wildcard systemd/*.timer))
SOCKETS := $(sort $(wildcard systemd/*.socket))
MAN_PAGES := $(patsubst man/%.scd,%,$(sort $(wildcard man/*.scd)))

install: all man install-files
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 0755 $(CMD_BINS) $(DESTDIR)$(BINDIR)/
	install -m 0644 $(BUILD)/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(BUILD)/man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 $(BUILD)/man/*.7 $(DESTDIR)$(MANDIR)/man7/

# What needs no compiled program: schema, job wrappers, systemd units, the
# sysusers.d and tmpfiles.d entries, the example configuration.
install-files:
	install -d $(DESTDIR)$(DATADIR)/settle/schema $(DESTDIR)$(JOBSDIR) $(DESTDIR)$(SYSTEMDUNITDIR) \
	  $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) $(DESTDIR)$(SYSCONFDIR)/settle
	install -m 0644 schema/*.sql schema/*.xsd $(DESTDIR)$(DATADIR)/settle/schema/
	install -d $(DESTDIR)$(DATADIR)/settle/templates/ko $(DESTDIR)$(DATADIR)/settle/templates/en
	install -m 0644 templates/ko/*.txt $(DESTDIR)$(DATADIR)/settle/templates/ko/
	install -m 0644 templates/en/*.txt $(DESTDIR)$(DATADIR)/settle/templates/en/
	@set -e; gen() { echo "  GEN     $$2"; $(SUBST) $$1 > $$2.tmp && chmod $$3 $$2.tmp && mv $$2.tmp $$2; }; \
	for t in $(JOB_TEMPLATES); do gen $$t $(DESTDIR)$(JOBSDIR)/$$(basename $${t%.in}) 0755; done; \
	for t in $(UNIT_TEMPLATES); do gen $$t $(DESTDIR)$(SYSTEMDUNITDIR)/$$(basename $${t%.in}) 0644; done; \
	gen systemd/settle.tmpfiles.in $(DESTDIR)$(TMPFILESDIR)/settle.conf 0644
	install -m 0644 $(TIMERS) $(SOCKETS) $(DESTDIR)$(SYSTEMDUNITDIR)/
	install -m 0644 systemd/settle.sysusers $(DESTDIR)$(SYSUSERSDIR)/settle.conf
	install -m 0644 etc/settle.conf.example $(DESTDIR)$(SYSCONFDIR)/settle/settle.conf.example

# Removes every file install put there (never settle.conf, secrets or state).
uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(notdir $(CMD_BINS)))
	rm -f $(foreach m,$(MAN_PAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(m))
	rm -f $(addprefix $(DESTDIR)$(JOBSDIR)/,$(notdir $(JOB_TEMPLATES:.in=)))
	rm -f $(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(notdir $(UNIT_TEMPLATES:.in=) $(TIMERS) $(SOCKETS)))
	rm -f $(DESTDIR)$(SYSUSERSDIR)/settle.conf $(DESTDIR)$(TMPFILESDIR)/settle.conf
	rm -f $(DESTDIR)$(SYSCONFDIR)/settle/settle.conf.example
	rm -rf $(DESTDIR)$(DATADIR)/settle/schema $(DESTDIR)$(DATADIR)/settle/templates
	-rmdir $(DESTDIR)$(JOBSDIR) $(DESTDIR)$(PREFIX)/lib/settle $(DESTDIR)$(DATADIR)/settle 2>/dev/null

# Stages install-files under a non-default PREFIX, SYSCONFDIR and
# LOCALSTATEDIR, checks that every installed path follows them and no
# template token is left, verifies every unit (scripts/check-units.sh, where
# systemd-analyze exists) and that uninstall leaves no file behind.
INSTALL_TEST := $(BUILD)/install-test
install-test:
	@rm -rf $(INSTALL_TEST)
	@$(MAKE) --no-print-directory -s install-files DESTDIR=$(CURDIR)/$(INSTALL_TEST) PREFIX=/opt/settle \
	  SYSCONFDIR=/etc/opt/settle LOCALSTATEDIR=/var/opt/settle >/dev/null
	@set -e; d=$(INSTALL_TEST); \
	  test -x $$d/opt/settle/lib/settle/jobs/pay-capture-sweep; \
	  grep -q '^exec /opt/settle/bin/pay-capture --sweep' $$d/opt/settle/lib/settle/jobs/pay-capture-sweep; \
	  for j in $(notdir $(JOB_TEMPLATES:.in=)); do test -x $$d/opt/settle/lib/settle/jobs/$$j; \
	    sh -n $$d/opt/settle/lib/settle/jobs/$$j; done; \
	  u=$$d/opt/settle/lib/systemd/system/settle-pay-sweep.service; \
	  grep -q '^ExecStart=/opt/settle/lib/settle/jobs/pay-capture-sweep$$' $$u; \
	  grep -q '^Environment=SETTLE_CONFIG=/etc/opt/settle/settle/settle.conf$$' $$u; \
	  grep -q '^ReadWritePaths=-/var/opt/settle/lib/settle/metrics' $$u; \
	  for t in $(notdir $(TIMERS)); do test -f $$d/opt/settle/lib/systemd/system/$$t; done; \
	  test -f $$d/opt/settle/lib/systemd/system/settle-alert@.service; \
	  grep -q '^d /var/opt/settle/lib/settle/outbox ' $$d/opt/settle/lib/tmpfiles.d/settle.conf; \
	  grep -q '^u settle ' $$d/opt/settle/lib/sysusers.d/settle.conf; \
	  test -f $$d/etc/opt/settle/settle/settle.conf.example; \
	  test -f $$d/opt/settle/share/settle/schema/001_core.sql; \
	  if grep -rn '/usr/local\|@[A-Z]*@' $$d; then echo "install-test: a path ignores PREFIX" >&2; exit 1; fi; \
	  echo "  OK      install honours PREFIX, SYSCONFDIR, LOCALSTATEDIR and DESTDIR"
	@scripts/check-units.sh $(CURDIR)/$(INSTALL_TEST)-units
	@$(MAKE) --no-print-directory -s uninstall DESTDIR=$(CURDIR)/$(INSTALL_TEST) PREFIX=/opt/settle \
	  SYSCONFDIR=/etc/opt/settle LOCALSTATEDIR=/var/opt/settle BUILD=$(BUILD) >/dev/null
	@left=$$(find $(INSTALL_TEST) -type f); if [ -n "$$left" ]; then \
	  echo "install-test: uninstall left: $$left" >&2; exit 1; fi; \
	  echo "  OK      uninstall removes every installed file"

clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(CMD_BINS:$(BUILD)/bin/%=$(BUILD)/obj/cmd/%.d) $(SANDBOX_OBJS:.o=.d) $(TEST_OBJS:.o=.d)
