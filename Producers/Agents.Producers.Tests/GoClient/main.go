// An independent CloudStack client drives the API: the Go library Terraform's CloudStack
// provider uses (github.com/xanzy/go-cloudstack, from Debian's golang-github-xanzy-go-cloudstack-dev),
// built offline with GO111MODULE=off GOPATH=/usr/share/gocode. It prints one line per step,
// "step<TAB>json", and exits non-zero on the first error.
//
// Usage: goclient URL APIKEY SECRETKEY VMID
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/xanzy/go-cloudstack/cloudstack"
)

func report(step string, value interface{}) {
	b, err := json.Marshal(value)
	if err != nil {
		fail(step, err)
	}
	fmt.Printf("%s\t%s\n", step, b)
}

func fail(step string, err error) {
	fmt.Fprintf(os.Stderr, "%s: %v\n", step, err)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: goclient URL APIKEY SECRETKEY VMID")
		os.Exit(2)
	}
	url, apiKey, secretKey, vmID := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	cs := cloudstack.NewAsyncClient(url, apiKey, secretKey, false)
	cs.AsyncTimeout(120)

	vms, err := cs.VirtualMachine.ListVirtualMachines(cs.VirtualMachine.NewListVirtualMachinesParams())
	if err != nil {
		fail("listVirtualMachines", err)
	}
	ids := []string{}
	for _, vm := range vms.VirtualMachines {
		ids = append(ids, vm.Id)
	}
	report("listVirtualMachines", map[string]interface{}{"count": vms.Count, "ids": ids})

	reset, err := cs.VirtualMachine.ResetPasswordForVirtualMachine(cs.VirtualMachine.NewResetPasswordForVirtualMachineParams(vmID))
	if err != nil {
		fail("resetPasswordForVirtualMachine", err)
	}
	report("resetPasswordForVirtualMachine", map[string]interface{}{"id": reset.Id, "jobid": reset.JobID, "password": reset.Password, "passwordenabled": reset.Passwordenabled})

	events := cs.Event.NewListEventsParams()
	events.SetPage(1)
	events.SetPagesize(5)
	listed, err := cs.Event.ListEvents(events)
	if err != nil {
		fail("listEvents", err)
	}
	types := []string{}
	for _, e := range listed.Events {
		types = append(types, e.Type)
	}
	report("listEvents", map[string]interface{}{"count": listed.Count, "page": len(listed.Events), "types": types})

	apis, err := cs.APIDiscovery.ListApis(cs.APIDiscovery.NewListApisParams())
	if err != nil {
		fail("listApis", err)
	}
	names := []string{}
	for _, api := range apis.Apis {
		names = append(names, api.Name)
	}
	report("listApis", map[string]interface{}{"count": apis.Count, "names": names})

	_, err = cs.VirtualMachine.ResetPasswordForVirtualMachine(cs.VirtualMachine.NewResetPasswordForVirtualMachineParams("vm-does-not-exist"))
	report("refused", map[string]interface{}{"error": fmt.Sprint(err)})
}
