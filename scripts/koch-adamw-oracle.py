# Independent float32/float64 re-computation of the koch-cnn-a AdamW trajectory (forward, backward,
# AdamW in NumPy), evidence for the tolerance in test/train-step-koch-cnn-a.test.ts: float32 itself
# drifts ~1e-2 from float64 over 5 steps because one fc.weight gradient is the size of Adam's eps.
# Usage: python3 scripts/koch-adamw-oracle.py 32|64   (needs numpy; reads ../shared beside the repo)
import json, struct, sys, numpy as np
from numpy.lib.stride_tricks import sliding_window_view as win
import os
D=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'fixtures', 'koch-cnn-a', '')
def st(p):
    b=open(p,'rb').read(); n=struct.unpack('<Q',b[:8])[0]; h=json.loads(b[8:8+n]); out={}
    for k,e in h.items():
        if k=='__metadata__': continue
        s,t=e['data_offsets']; out[k]=np.frombuffer(b[8+n+s:8+n+t],dtype=np.float32).reshape(e['shape'])
    return out
DT = np.float64 if sys.argv[1]=='64' else np.float32
P={k.replace('encoder.',''):v.astype(DT) for k,v in st(D+'params.safetensors').items() if k.startswith('encoder.')}
I=st(D+'inputs.safetensors'); X=np.concatenate([I['x1'],I['x2'],I['x3']]).astype(DT); N=12
def conv(x,w,b): return np.einsum('nchwij,ocij->nohw', win(x,w.shape[2:],axis=(2,3)), w)+b[None,:,None,None]
def pool(x):
    n,c,h,w=x.shape; r=x.reshape(n,c,h//2,2,w//2,2).transpose(0,1,2,4,3,5).reshape(n,c,h//2,w//2,4)
    a=r.argmax(-1); return np.take_along_axis(r,a[...,None],-1)[...,0], a
def unpool(d,a,shape):
    n,c,h,w=shape; r=np.zeros((n,c,h//2,w//2,4),DT); np.put_along_axis(r,a[...,None],d[...,None],-1)
    return r.reshape(n,c,h//2,w//2,2,2).transpose(0,1,2,4,3,5).reshape(shape)
def step(P):
    c1=conv(X,P['conv1.weight'],P['conv1.bias']); r1=np.maximum(c1,0); p1,a1=pool(r1)
    c2=conv(p1,P['conv2.weight'],P['conv2.bias']); r2=np.maximum(c2,0); p2,a2=pool(r2)
    h=p2.reshape(3*N,-1); z=h@P['fc.weight'].T+P['fc.bias']; e=1/(1+np.exp(-z))
    a,p,n=e[:N],e[N:2*N],e[2*N:]; dap=np.sqrt(((a-p)**2).sum(1)); dan=np.sqrt(((a-n)**2).sum(1))
    hinge=dap-dan+1; L=np.maximum(hinge,0).mean(); act=(hinge>0)/N
    ga=act[:,None]*((a-p)/dap[:,None]-(a-n)/dan[:,None]); gp=-act[:,None]*(a-p)/dap[:,None]; gn=act[:,None]*(a-n)/dan[:,None]
    de=np.concatenate([ga,gp,gn]); dz=de*e*(1-e); G={'fc.weight':dz.T@h,'fc.bias':dz.sum(0)}
    dp2=(dz@P['fc.weight']).reshape(p2.shape); dc2=unpool(dp2,a2,r2.shape)*(c2>0)
    G['conv2.weight']=np.einsum('nohw,nchwij->ocij',dc2,win(p1,(3,3),axis=(2,3))); G['conv2.bias']=dc2.sum((0,2,3))
    dp1=np.zeros_like(p1); w2=P['conv2.weight']
    for i in range(3):
        for j in range(3): dp1[:,:,i:i+10,j:j+10]+=np.einsum('nohw,oc->nchw',dc2,w2[:,:,i,j])
    dc1=unpool(dp1,a1,r1.shape)*(c1>0)
    G['conv1.weight']=np.einsum('nohw,nchwij->ocij',dc1,win(X,(5,5),axis=(2,3))); G['conv1.bias']=dc1.sum((0,2,3))
    return L,G
g0=st(D+'grad.Triplet.safetensors'); L,G=step(P)
print('step1 grad max err vs torch', max(abs(G[k]-g0['encoder.'+k]).max() for k in G))
M={k:np.zeros_like(v) for k,v in P.items()}; V={k:np.zeros_like(v) for k,v in P.items()}; losses=[]; traj=[]
for t in range(1,6):
    L,G=step(P); losses.append(float(L))
    for k in P:
        P[k]=P[k]*(1-1e-2*0.01); M[k]=M[k]+(G[k]-M[k])*0.1; V[k]=V[k]*0.999+0.001*G[k]*G[k]
        P[k]=P[k]-(1e-2/(1-0.9**t))*M[k]/(np.sqrt(V[k])/np.sqrt(1-0.999**t)+1e-8)
    traj.append({k:v.copy() for k,v in P.items()})
ref=json.load(open(D+'losses.json'))['Triplet']['adamw']['losses']
print('losses numpy', [f'{x:.7f}' for x in losses]); print('losses torch', [f'{x:.7f}' for x in ref])
T=st(D+'after_adamw5.Triplet.safetensors')
for k in P:
    t=T['encoder.'+k]
    print(f'{k:14s} |torch-numpy| max {abs(t-P[k]).max():.2e}, elements above 1e-4: {(abs(t-P[k])>1e-4).sum()}/{t.size}')
